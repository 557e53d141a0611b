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

/** Which events a query reads: those at or after `sinceMs` that match every field given (exact match). */
export interface SecurityEventFilter {
  /** Inclusive, Unix ms. */
  readonly sinceMs: number;
  /** `blocked` or `detected`. */
  readonly action?: string;
  readonly site?: string;
  readonly clientIp?: string;
  /** A rule id among the event's matches (`event.matches[].id`). */
  readonly ruleId?: number;
}

/** The events of a window counted, and their most frequent client addresses, rules and sites (most first). */
export interface SecurityEventSummary {
  readonly total: number;
  readonly blocked: number;
  readonly detected: number;
  readonly top_ips: readonly { readonly ip: string; readonly count: number }[];
  /** `count`: events in which the rule matched; `msg`: the rule's message in its newest event. */
  readonly top_rules: readonly { readonly id: number; readonly msg: string; readonly count: number }[];
  readonly top_sites: readonly { readonly site: string; readonly count: number }[];
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

type Param = string | number;

/** The WHERE clause of a filter with its parameters, in the order the clause names them. */
function where(f: SecurityEventFilter): { sql: string; params: Param[]; key: string } {
  const terms = ['ts >= ?'];
  const params: Param[] = [f.sinceMs];
  let key = '';
  if (f.action !== undefined) {
    terms.push('action = ?');
    params.push(f.action);
    key += 'a';
  }
  if (f.site !== undefined) {
    terms.push('site = ?');
    params.push(f.site);
    key += 's';
  }
  if (f.clientIp !== undefined) {
    terms.push('client_ip = ?');
    params.push(f.clientIp);
    key += 'c';
  }
  if (f.ruleId !== undefined) {
    terms.push("EXISTS (SELECT 1 FROM json_each(event, '$.matches') WHERE json_extract(value, '$.id') = ?)");
    params.push(f.ruleId);
    key += 'r';
  }
  return { sql: terms.join(' AND '), params, key };
}

/** How many entries each of the summary's top lists has at most. */
const topN = 10;

/**
 * The `security_events` table (migration 5): appended in batches, read newest first, trimmed by age. Filters
 * use the `ts` and `(client_ip, ts)` indexes; a rule id is looked up in each event's JSON within the window.
 */
export class SecurityEventRepo {
  private readonly insertStmt: Database.Statement;
  private readonly deleteStmt: Database.Statement<[number]>;
  private readonly countStmt: Database.Statement<[number], { action: string; n: number }>;
  private readonly topIpsStmt: Database.Statement<[number, number], { ip: string; count: number }>;
  private readonly topSitesStmt: Database.Statement<[number, number], { site: string; count: number }>;
  private readonly topRulesStmt: Database.Statement<[number, number], { id: number; msg: string; count: number }>;
  /** One statement per combination of filters (at most 16), prepared on first use. */
  private readonly queryStmts = new Map<string, Database.Statement<Param[], Row>>();

  constructor(private readonly db: Database.Database) {
    this.insertStmt = db.prepare(
      `INSERT OR IGNORE INTO security_events (ts, site, client_ip, action, status, request_id, event)
       VALUES (@ts, @site, @client_ip, @action, @status, @request_id, @event)`,
    );
    this.deleteStmt = db.prepare('DELETE FROM security_events WHERE ts < ?');
    this.countStmt = db.prepare('SELECT action, count(*) AS n FROM security_events WHERE ts >= ? GROUP BY action');
    this.topIpsStmt = db.prepare(
      `SELECT client_ip AS ip, count(*) AS count FROM security_events WHERE ts >= ?
       GROUP BY client_ip ORDER BY count DESC, ip LIMIT ?`,
    );
    this.topSitesStmt = db.prepare(
      `SELECT site, count(*) AS count FROM security_events WHERE ts >= ?
       GROUP BY site ORDER BY count DESC, site LIMIT ?`,
    );
    // The message from the rule's newest event (SQLite takes bare columns from the max() row); a rule listed
    // twice in one event still counts that event once.
    this.topRulesStmt = db.prepare(
      `SELECT id, msg, max(event_id) AS newest, count(DISTINCT event_id) AS count
       FROM (
         SELECT e.id AS event_id, json_extract(j.value, '$.id') AS id, json_extract(j.value, '$.msg') AS msg
         FROM security_events e, json_each(e.event, '$.matches') j WHERE e.ts >= ?
       )
       GROUP BY id ORDER BY count DESC, id LIMIT ?`,
    );
  }

  /** Appends events in one transaction. */
  /**
   * Stores security events as the gateway shapes them (the queried fields are read from the event, the whole
   * event is kept as JSON); see insertMany. `added` is called, after the commit, with each event that was new.
   */
  insertEvents<
    E extends {
      readonly timeMs: number;
      readonly site: string;
      readonly clientIp: string;
      readonly action: string;
      readonly status: number;
      readonly requestId: string;
    },
  >(events: readonly E[], added?: (event: E) => void): number {
    const fresh: E[] = [];
    const n = this.insertMany(
      events.map((e) => ({
        timeMs: e.timeMs,
        site: e.site,
        clientIp: e.clientIp,
        action: e.action,
        status: e.status,
        requestId: e.requestId,
        event: e,
      })),
      added === undefined ? undefined : (i) => fresh.push(events[i] as E),
    );
    if (added !== undefined) for (const e of fresh) added(e);
    return n;
  }

  /** Stores events in one transaction; an event already stored (same request id and time) is skipped. Returns how many were new. */
  insertMany(events: readonly StoredSecurityEvent[], isNew?: (index: number) => void): number {
    let added = 0;
    const fresh: number[] = [];
    this.db.transaction(() => {
      for (const [i, e] of events.entries()) {
        const changes = this.insertStmt.run({
          ts: e.timeMs,
          site: e.site,
          client_ip: e.clientIp,
          action: e.action,
          status: e.status,
          request_id: e.requestId,
          event: JSON.stringify(e.event),
        }).changes;
        added += changes;
        if (changes > 0) fresh.push(i);
      }
    })();
    if (isNew !== undefined) for (const i of fresh) isNew(i);
    return added;
  }

  /** Events that match `filter`, newest first (ties: last stored first), at most `limit`. */
  query(filter: SecurityEventFilter, limit: number): StoredSecurityEvent[] {
    const w = where(filter);
    let stmt = this.queryStmts.get(w.key);
    if (stmt === undefined) {
      stmt = this.db.prepare<Param[], Row>(
        `SELECT * FROM security_events WHERE ${w.sql} ORDER BY ts DESC, id DESC LIMIT ?`,
      );
      this.queryStmts.set(w.key, stmt);
    }
    return stmt.all(...w.params, limit).map((r) => ({
      timeMs: r.ts,
      site: r.site,
      clientIp: r.client_ip,
      action: r.action,
      status: r.status,
      requestId: r.request_id,
      event: JSON.parse(r.event) as unknown,
    }));
  }

  /** The events since `sinceMs` (inclusive) counted, with the top 10 client addresses, rules and sites. */
  summary(sinceMs: number): SecurityEventSummary {
    return this.db.transaction(() => {
      let blocked = 0;
      let detected = 0;
      let total = 0;
      for (const { action, n } of this.countStmt.all(sinceMs)) {
        total += n;
        if (action === 'blocked') blocked = n;
        else if (action === 'detected') detected = n;
      }
      return {
        total,
        blocked,
        detected,
        top_ips: this.topIpsStmt.all(sinceMs, topN),
        top_rules: this.topRulesStmt.all(sinceMs, topN).map((r) => ({ id: r.id, msg: r.msg ?? '', count: r.count })),
        top_sites: this.topSitesStmt.all(sinceMs, topN),
      };
    })();
  }

  /** Deletes events older than `beforeMs`; returns how many. */
  deleteBefore(beforeMs: number): number {
    return this.deleteStmt.run(beforeMs).changes;
  }
}
