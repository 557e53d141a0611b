/**
 * The WAF behind the proxy's inspection seam (../inspector.ts): one transaction per request, a verdict per
 * phase, and the transaction's matches as security events when the inspection closes. The site's settings
 * choose the mode (`blocking` → On, `detection_only` → DetectionOnly) and the paranoia level (CRS keeps a
 * `tx.blocking_paranoia_level` that is already set).
 */
import {
  allow,
  type InspectedRequest,
  type Inspection,
  type RequestInspector,
  type SecurityEvent,
  type Verdict,
} from '../inspector.ts';
import type { WafEngine } from './engine.ts';
import type { Interruption } from './event.ts';
import type { Transaction } from './transaction.ts';

const severityNames: Array<SecurityEvent['severity']> = [
  'critical',
  'critical',
  'critical',
  'error',
  'warning',
  'notice',
  'info',
  'info',
];

function pairs(headers: Readonly<Record<string, string | string[] | undefined>>): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined) continue;
    if (Array.isArray(v)) for (const x of v) out.push([k, x]);
    else out.push([k, v]);
  }
  return out;
}

const verdict = (i: Interruption | null): Verdict => (i === null ? allow : { action: 'block', status: i.status });

class WafInspection implements Inspection {
  readonly requestBodyLimitBytes: number;
  private requestBodyDone = false;
  private responseBodyDone = false;
  private inspectResponseBody = false;

  constructor(
    private readonly engine: WafEngine,
    private readonly tx: Transaction,
    private readonly req: InspectedRequest,
  ) {
    this.requestBodyLimitBytes = engine.settings.requestBodyAccess ? engine.settings.requestBodyLimitBytes : 0;
  }

  requestHeaders(): Verdict {
    const r = this.req;
    const headers = pairs(r.headers);
    const latin1 = (s: string) => Buffer.from(s, 'utf8').toString('latin1');
    return verdict(
      this.tx.processRequestHeaders({
        method: r.method,
        uri: latin1(r.uri),
        protocol: `HTTP/${r.httpVersion}`,
        headers: headers.map(([k, v]) => [k, latin1(v)]),
      }),
    );
  }

  requestBody(body: Buffer, complete: boolean): Verdict {
    this.requestBodyDone = true;
    return verdict(this.tx.processRequestBody(body, !complete));
  }

  responseHeaders(status: number, headers: Readonly<Record<string, string | string[] | undefined>>): Verdict {
    if (!this.requestBodyDone) this.requestBody(Buffer.alloc(0), true);
    const v = verdict(this.tx.processResponseHeaders(status, 'HTTP/1.1', pairs(headers)));
    const s = this.engine.settings;
    const ct = String(headers['content-type'] ?? '')
      .split(';')[0]
      ?.trim()
      .toLowerCase();
    this.inspectResponseBody = s.responseBodyAccess && s.responseBodyMimeTypes.includes(ct ?? '');
    return v;
  }

  get responseBodyLimitBytes(): number {
    return this.inspectResponseBody ? this.engine.settings.responseBodyLimitBytes : 0;
  }

  responseBody(body: Buffer, complete: boolean): Verdict {
    this.responseBodyDone = true;
    if (!complete) this.tx.state.scalars.set('OUTBOUND_DATA_ERROR', '1');
    return verdict(this.tx.processResponseBody(body));
  }

  close(status: number): readonly SecurityEvent[] {
    if (this.tx.interruption === null) {
      if (!this.requestBodyDone) this.requestBody(Buffer.alloc(0), true);
      if (!this.responseBodyDone && this.tx.phaseReached >= 3) this.responseBody(Buffer.alloc(0), true);
    }
    this.tx.processLogging();
    const ev = this.tx.event();
    if (ev === null) return [];
    const base = {
      timeMs: ev.timeMs,
      site: ev.site,
      clientIp: ev.clientIp,
      requestId: ev.requestId,
      method: ev.method,
      uri: ev.uri,
      status,
    };
    const out: SecurityEvent[] = this.tx.matches.map((m) => ({
      ...base,
      kind: 'waf_match',
      ruleId: String(m.id),
      message: m.msg,
      severity: m.severity === undefined ? undefined : severityNames[m.severity],
      data: {
        data: m.data,
        tags: m.tags.join(' '),
        phase: m.phase,
        inboundScore: ev.inboundScore,
        outboundScore: ev.outboundScore,
        action: ev.action,
      },
    }));
    const i = this.tx.interruption;
    if (i !== null) {
      out.push({
        ...base,
        kind: 'waf_block',
        ruleId: String(i.ruleId),
        message: `blocked by rule ${i.ruleId} in phase ${i.phase}`,
        severity: 'critical',
        data: { inboundScore: ev.inboundScore, outboundScore: ev.outboundScore },
      });
    }
    return out;
  }
}

/** A RequestInspector running `engine` for the sites whose `waf.enabled` is set. */
export class WafInspector implements RequestInspector {
  constructor(private readonly engine: WafEngine) {}

  open(request: InspectedRequest): Inspection | null {
    if (!request.waf.enabled) return null;
    const tx = this.engine.newTransaction({
      id: request.requestId,
      clientIp: request.clientIp,
      clientPort: request.clientPort,
      site: request.site,
      ruleEngine: request.waf.mode === 'detection_only' ? 'detectiononly' : 'on',
      tx: { blocking_paranoia_level: String(request.waf.paranoiaLevel) },
    });
    return new WafInspection(this.engine, tx, request);
  }
}
