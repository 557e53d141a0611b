/**
 * The notification log: per (group key, receiver, integration), the alerts last notified as firing and as
 * resolved, and when. The dedup stage compares a flush with it; an entry is written in the same store
 * transaction that puts the notification in the outbox, so a restart neither repeats nor drops a notification.
 * Entries expire after twice the route's repeat interval, as in Alertmanager.
 */
import type Database from 'better-sqlite3';

export interface NflogEntry {
  /** Fingerprints of the alerts notified as firing, sorted. */
  readonly firing: readonly string[];
  readonly resolved: readonly string[];
  /** Unix milliseconds of the notification. */
  readonly timestamp: number;
  readonly expiresAt: number;
}

interface Row {
  group_key: string;
  receiver: string;
  integration: string;
  firing: string;
  resolved: string;
  ts: number;
  expires_at: number;
}

const key = (groupKey: string, receiver: string, integration: string) =>
  `${receiver}\u0000${integration}\u0000${groupKey}`;

export class NotificationLog {
  private readonly entries = new Map<string, NflogEntry>();
  private readonly upsert: Database.Statement;
  private readonly gcStmt: Database.Statement;

  constructor(
    db: Database.Database,
    private readonly now: () => number,
  ) {
    this.upsert = db.prepare(
      `INSERT INTO nflog (group_key, receiver, integration, firing, resolved, ts, expires_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(group_key, receiver, integration) DO UPDATE SET firing = excluded.firing,
         resolved = excluded.resolved, ts = excluded.ts, expires_at = excluded.expires_at`,
    );
    this.gcStmt = db.prepare('DELETE FROM nflog WHERE expires_at <= ?');
    for (const r of db.prepare('SELECT * FROM nflog').all() as Row[]) {
      this.entries.set(key(r.group_key, r.receiver, r.integration), {
        firing: JSON.parse(r.firing) as string[],
        resolved: JSON.parse(r.resolved) as string[],
        timestamp: r.ts,
        expiresAt: r.expires_at,
      });
    }
  }

  get(groupKey: string, receiver: string, integration: string): NflogEntry | undefined {
    const e = this.entries.get(key(groupKey, receiver, integration));
    return e === undefined || e.expiresAt <= this.now() ? undefined : e;
  }

  /** Records a notification (call inside the transaction that enqueues it). */
  log(
    groupKey: string,
    receiver: string,
    integration: string,
    firing: readonly string[],
    resolved: readonly string[],
    expiresInMs: number,
  ): void {
    const ts = this.now();
    const entry: NflogEntry = {
      firing: [...firing].sort(),
      resolved: [...resolved].sort(),
      timestamp: ts,
      expiresAt: ts + expiresInMs,
    };
    this.upsert.run(
      groupKey,
      receiver,
      integration,
      JSON.stringify(entry.firing),
      JSON.stringify(entry.resolved),
      ts,
      entry.expiresAt,
    );
    this.entries.set(key(groupKey, receiver, integration), entry);
  }

  /** Puts back the in-memory entry a rolled-back transaction had replaced (undefined: there was none). */
  restore(groupKey: string, receiver: string, integration: string, previous: NflogEntry | undefined): void {
    const k = key(groupKey, receiver, integration);
    if (previous === undefined) this.entries.delete(k);
    else this.entries.set(k, previous);
  }

  /** Deletes expired entries. */
  gc(): void {
    const now = this.now();
    for (const [k, e] of this.entries) if (e.expiresAt <= now) this.entries.delete(k);
    this.gcStmt.run(now);
  }

  get size(): number {
    return this.entries.size;
  }
}

/**
 * Alertmanager's dedup decision (`DedupStage.needsUpdate`): whether a flush with these firing and resolved
 * alert fingerprints must notify, given the last entry.
 */
export function needsUpdate(
  entry: NflogEntry | undefined,
  firing: ReadonlySet<string>,
  resolved: ReadonlySet<string>,
  sendResolved: boolean,
  repeatIntervalMs: number,
  now: number,
): boolean {
  if (entry === undefined) return firing.size > 0;
  if (!isSubset(firing, entry.firing)) return true;
  if (firing.size === 0) return entry.firing.length > 0;
  if (sendResolved && !isSubset(resolved, entry.resolved)) return true;
  return entry.timestamp < now - repeatIntervalMs;
}

function isSubset(subset: ReadonlySet<string>, of: readonly string[]): boolean {
  if (subset.size === 0) return true;
  const set = new Set(of);
  for (const x of subset) if (!set.has(x)) return false;
  return true;
}
