/**
 * The WAF audit log: one JSON object per line, UTF-8, `\n`-terminated, appended with one write per request so
 * a line is in the file (in the OS's cache) when the response has ended. A write that fails is logged once
 * until one succeeds again; the request path never throws.
 *
 * A line, keys in this order (AuditRecord): `{"ts":"2026-11-30T02:41:19.123Z","request_id":"…","site":"…",
 * "client_ip":"…","method":"GET","uri":"/path?q","status":403,"action":"blocked","matched_rule_ids":[920350,
 * 949110],"matches":[{"id":920350,"phase":1,"msg":"…","data":"…","severity":"WARNING","tags":["…"]}],
 * "anomaly":{"inbound":5,"outbound":0}}`, plus `"marker":"…"` when the request carried the marker header.
 * Written for a request a rule matched (`blocked`/`detected`), for a request the gateway refused itself
 * (`blocked`, its refusal as a match with a rule id from 11001: ./refusals.ts), and for a marked request no
 * rule matched (`passed`, no matches).
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Logger } from '../log/index.ts';
import type { MatchedRule, SecurityEvent } from './inspector.ts';

/** One line of the audit log, field order as written. */
export interface AuditRecord {
  /** ISO-8601 UTC, when the inspection started. */
  readonly ts: string;
  readonly request_id: string;
  readonly site: string;
  readonly client_ip: string;
  readonly method: string;
  readonly uri: string;
  readonly status: number;
  /** `passed` only on a marker line of a request no rule matched. */
  readonly action: 'blocked' | 'detected' | 'passed';
  readonly matched_rule_ids: readonly number[];
  readonly matches: readonly MatchedRule[];
  readonly anomaly: { readonly inbound: number; readonly outbound: number };
  /** The marker header's value (`gateway.audit_log.marker_header`), when the request carried it. */
  readonly marker?: string;
}

export function auditRecord(e: SecurityEvent, marker: string | undefined): AuditRecord {
  return {
    ts: new Date(e.timeMs).toISOString(),
    request_id: e.requestId,
    site: e.site,
    client_ip: e.clientIp,
    method: e.method,
    uri: e.uri,
    status: e.status,
    action: e.action,
    matched_rule_ids: e.matches.map((m) => m.id),
    matches: e.matches.map((m) => ({
      id: m.id,
      phase: m.phase,
      msg: m.msg,
      data: m.data,
      severity: m.severity,
      tags: m.tags,
    })),
    anomaly: { inbound: e.anomaly.inbound, outbound: e.anomaly.outbound },
    ...(marker === undefined ? {} : { marker }),
  };
}

export class AuditLog {
  private fd: number | undefined;
  private failing = false;
  private closed = false;

  /** Opens (creating the directory and file) on the first write. */
  constructor(
    /** Absolute path of the log file. */
    readonly path: string,
    private readonly logger: Logger,
  ) {}

  /** Appends one line. Never throws. */
  write(record: AuditRecord): void {
    if (this.closed) return;
    try {
      if (this.fd === undefined) {
        mkdirSync(dirname(this.path), { recursive: true });
        this.fd = openSync(this.path, 'a', 0o640);
      }
      writeSync(this.fd, `${JSON.stringify(record)}\n`);
      this.failing = false;
    } catch (err) {
      if (!this.failing) {
        this.failing = true;
        this.logger.error('cannot write the WAF audit log', { path: this.path, err: err as Error });
      }
    }
  }

  /** Closes the file; later writes are dropped. Idempotent. */
  close(): void {
    this.closed = true;
    if (this.fd !== undefined) {
      try {
        closeSync(this.fd);
      } catch {}
      this.fd = undefined;
    }
  }
}
