/**
 * What the gateway does with each finished request's inspection result: counts it
 * (`vigil_waf_requests_total`, `vigil_waf_rule_matches_total`), writes the audit line (a request that matched
 * a rule, or carried the marker header), and hands the event to the event sink. The gateway's own refusals
 * (./refusals.ts) take the same way, counted in `vigil_gateway_client_errors_total`.
 */
import type { Logger } from '../log/index.ts';
import { type AuditLog, auditRecord } from './audit-log.ts';
import type { EventSink, SecurityEvent } from './inspector.ts';
import type { GatewayMetrics } from './metrics.ts';
import { type Refusal, refusalEvent } from './refusals.ts';

/** The request fields an audit line needs when no rule matched (a marker line). */
export interface FinishedRequest {
  readonly requestId: string;
  readonly site: string;
  readonly clientIp: string;
  readonly method: string;
  readonly uri: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

/** The audit settings of one config, swapped with it on reload. */
export interface AuditState {
  readonly log: AuditLog;
  /** Lower-case header name, or undefined. */
  readonly markerHeader: string | undefined;
}

export class SecurityEvents {
  constructor(
    private readonly metrics: GatewayMetrics,
    private readonly sink: EventSink | undefined,
    private readonly logger: Logger,
  ) {}

  /**
   * Records one finished request. `inspected`: an inspection was open for it; `event`: what it returned
   * (null when no rule matched). Never throws.
   */
  record(
    audit: AuditState,
    req: FinishedRequest,
    inspected: boolean,
    event: SecurityEvent | null,
    status: number,
    startedMs: number,
  ): void {
    if (inspected) this.metrics.wafRequest(req.site, event?.action ?? 'passed');
    if (event !== null) {
      for (const m of event.matches) this.metrics.wafRuleMatches.inc({ site: req.site, rule_id: String(m.id) });
    }
    const markerValue = audit.markerHeader === undefined ? undefined : req.headers[audit.markerHeader];
    const marker = Array.isArray(markerValue) ? markerValue.join(', ') : markerValue;
    if (event !== null) {
      audit.log.write(auditRecord(event, marker));
    } else if (marker !== undefined) {
      audit.log.write({
        ...auditRecord(
          {
            timeMs: startedMs,
            requestId: req.requestId,
            site: req.site,
            clientIp: req.clientIp,
            method: req.method,
            uri: req.uri,
            status,
            action: 'detected',
            matches: [],
            anomaly: { inbound: 0, outbound: 0 },
          },
          marker,
        ),
        action: 'passed',
      });
    }
    if (event !== null) this.emit(event);
  }

  /** Records a request the gateway refused itself (before or instead of the WAF). Never throws. */
  refused(audit: AuditState, refusal: Refusal): void {
    this.metrics.clientErrors.inc({ reason: refusal.reason });
    const event = refusalEvent(refusal);
    audit.log.write(auditRecord(event, undefined));
    this.emit(event);
  }

  private emit(event: SecurityEvent): void {
    if (this.sink === undefined) return;
    try {
      this.sink.emit(event);
    } catch (err) {
      this.logger.error('security event sink failed', { err: err as Error });
    }
  }
}
