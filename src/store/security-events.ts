import type Database from 'better-sqlite3';

/**
 * A security event as the store keeps it: the fields queries filter on, and the whole event as JSON (the
 * gateway's shape: matched rules, anomaly scores, …). Times are Unix milliseconds.
 */
export interface StoredSecurityEvent {
  readonly timeMs: number;
  readonly site: string;
  readonly clientIp: string;
  readonly action: string;
  readonly status: number;
  readonly requestId: string;
  readonly event: unknown;
}

interface Row {
  ts: number;
  site: string;
  client_ip: string;
  action: string;
  status: number;
  request_id: string;
  event: string;
}

/** The `security_events` table (migration 5): appended in batches, read newest first, trimmed by age. */
export class SecurityEventRepo {
  private readonly insertStmt: Database.Statement;
  private readonly recentStmt: Database.Statement<[number, number], Row>;
  private readonly deleteStmt: Database.Statement<[number]>;

  constructor(private readonly db: Database.Database) {
    this.insertStmt = db.prepare(
      `INSERT INTO security_events (ts, site, client_ip, action, status, request_id, event)
       VALUES (@ts, @site, @client_ip, @action, @status, @request_id, @event)`,
    );
    this.recentStmt = db.prepare('SELECT * FROM security_events WHERE ts >= ? ORDER BY ts DESC, id DESC LIMIT ?');
    this.deleteStmt = db.prepare('DELETE FROM security_events WHERE ts < ?');
  }

  /** Appends events in one transaction. */
  insertMany(events: readonly StoredSecurityEvent[]): void {
    this.db.transaction(() => {
      for (const e of events) {
        this.insertStmt.run({
          ts: e.timeMs,
          site: e.site,
          client_ip: e.clientIp,
          action: e.action,
          status: e.status,
          request_id: e.requestId,
          event: JSON.stringify(e.event),
        });
      }
    })();
  }

  /** Events since `sinceMs`, newest first, at most `limit`. */
  recent(sinceMs: number, limit: number): StoredSecurityEvent[] {
    return this.recentStmt.all(sinceMs, limit).map((r) => ({
      timeMs: r.ts,
      site: r.site,
      clientIp: r.client_ip,
      action: r.action,
      status: r.status,
      requestId: r.request_id,
      event: JSON.parse(r.event) as unknown,
    }));
  }

  /** Deletes events older than `beforeMs`; returns how many. */
  deleteBefore(beforeMs: number): number {
    return this.deleteStmt.run(beforeMs).changes;
  }
}
