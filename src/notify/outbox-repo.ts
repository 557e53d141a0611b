/**
 * The outbox tables (store migration 2). `notify_outbox` holds pending and dead messages, with their secrets;
 * a delivered message is deleted. `notify_deliveries` holds each message's latest outcome, without secrets,
 * trimmed to the newest rows. Statements are prepared once; all are short and synchronous.
 */
import type Database from 'better-sqlite3';
import type { Channel, DeadLetter, DeliveryRecord, MessageMeta } from './types.ts';

/** A pending message that is the oldest of its stream to its destination. */
export interface Head {
  id: number;
  destination: string;
  stream: string;
  channel: Channel;
  next_attempt_at: number;
}

export interface OutboxRow {
  id: number;
  channel: Channel;
  destination: string;
  message: string;
  source: string;
  receiver: string;
  integration: string;
  summary: string;
  state: 'pending' | 'dead';
  enqueued_at: number;
  queued_at: number;
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  died_at: number | null;
}

interface DeliveryRow {
  message_id: number;
  channel: Channel;
  source: string;
  receiver: string;
  integration: string;
  summary: string;
  status: DeliveryRecord['status'];
  attempts: number;
  last_error: string | null;
  updated_at: number;
}

const metaOf = (r: { source: string; receiver: string; integration: string; summary: string }): MessageMeta => ({
  source: r.source,
  receiver: r.receiver,
  integration: r.integration,
  summary: r.summary,
});

export class OutboxRepo {
  private readonly insertStmt: Database.Statement;
  private readonly headsStmt: Database.Statement<[], Head>;
  private readonly headsLimitStmt: Database.Statement<[number], Head>;
  private readonly getStmt: Database.Statement<[number], OutboxRow>;
  private readonly deleteStmt: Database.Statement<[number]>;
  private readonly retryLaterStmt: Database.Statement<[number, number, string, number]>;
  private readonly killStmt: Database.Statement<[number, number, string, number]>;
  private readonly requeueStmt: Database.Statement<[number, number, number]>;
  private readonly discardStmt: Database.Statement<[number]>;
  private readonly countStmt: Database.Statement<[string], { n: number }>;
  private readonly deadStmt: Database.Statement<[number], OutboxRow>;
  private readonly recordStmt: Database.Statement;
  private readonly trimStmt: Database.Statement<[number]>;
  private readonly historyStmt: Database.Statement<[number], DeliveryRow>;

  constructor(
    readonly db: Database.Database,
    private readonly historyLimit: number,
  ) {
    this.insertStmt = db.prepare(
      `INSERT INTO notify_outbox (channel, destination, stream, message, source, receiver, integration, summary, state,
        enqueued_at, queued_at, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?)`,
    );
    this.headsStmt = db.prepare(
      `SELECT id, destination, stream, channel, next_attempt_at FROM notify_outbox WHERE id IN
        (SELECT min(id) FROM notify_outbox WHERE state = 'pending' GROUP BY destination, stream)
        ORDER BY next_attempt_at, id`,
    );
    this.headsLimitStmt = db.prepare(
      `SELECT id, destination, stream, channel, next_attempt_at FROM notify_outbox WHERE id IN
        (SELECT min(id) FROM notify_outbox WHERE state = 'pending' GROUP BY destination, stream)
        ORDER BY next_attempt_at, id LIMIT ?`,
    );
    this.getStmt = db.prepare('SELECT * FROM notify_outbox WHERE id = ?');
    this.deleteStmt = db.prepare('DELETE FROM notify_outbox WHERE id = ?');
    this.retryLaterStmt = db.prepare(
      'UPDATE notify_outbox SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ?',
    );
    this.killStmt = db.prepare(
      "UPDATE notify_outbox SET state = 'dead', attempts = ?, died_at = ?, last_error = ? WHERE id = ?",
    );
    this.requeueStmt = db.prepare(
      `UPDATE notify_outbox SET state = 'pending', attempts = 0, queued_at = ?, next_attempt_at = ?, died_at = NULL
        WHERE id = ? AND state = 'dead'`,
    );
    this.discardStmt = db.prepare("DELETE FROM notify_outbox WHERE id = ? AND state = 'dead'");
    this.countStmt = db.prepare('SELECT count(*) AS n FROM notify_outbox WHERE state = ?');
    this.deadStmt = db.prepare(
      "SELECT * FROM notify_outbox WHERE state = 'dead' ORDER BY died_at DESC, id DESC LIMIT ?",
    );
    this.recordStmt = db.prepare(
      `INSERT INTO notify_deliveries (message_id, channel, source, receiver, integration, summary, status, attempts,
        last_error, updated_at) VALUES (@id, @channel, @source, @receiver, @integration, @summary, @status, @attempts,
        @last_error, @updated_at)
        ON CONFLICT (message_id) DO UPDATE SET status = excluded.status, attempts = excluded.attempts,
        last_error = excluded.last_error, updated_at = excluded.updated_at`,
    );
    this.trimStmt = db.prepare(
      `DELETE FROM notify_deliveries WHERE message_id <=
        (SELECT message_id FROM notify_deliveries ORDER BY message_id DESC LIMIT 1 OFFSET ?)`,
    );
    this.historyStmt = db.prepare('SELECT * FROM notify_deliveries ORDER BY updated_at DESC, message_id DESC LIMIT ?');
  }

  insert(channel: Channel, destination: string, message: string, meta: MessageMeta, now: number): number {
    const info = this.insertStmt.run(
      channel,
      destination,
      meta.stream ?? '',
      message,
      meta.source,
      meta.receiver,
      meta.integration,
      meta.summary,
      now,
      now,
      now,
    );
    return Number(info.lastInsertRowid);
  }

  /** The oldest pending message of each stream of each destination, soonest due first. */
  heads(limit?: number): Head[] {
    return limit === undefined ? this.headsStmt.all() : this.headsLimitStmt.all(limit);
  }

  get(id: number): OutboxRow | undefined {
    return this.getStmt.get(id);
  }

  /** Delivered: the message leaves the outbox and its history says sent, in one transaction. */
  sent(row: OutboxRow, attempts: number, now: number): void {
    this.db.transaction(() => {
      this.deleteStmt.run(row.id);
      this.record(row, 'sent', attempts, null, now);
    })();
  }

  /** Failed; another attempt at `nextAt`. */
  failed(row: OutboxRow, attempts: number, nextAt: number, error: string, now: number): void {
    this.db.transaction(() => {
      this.retryLaterStmt.run(attempts, nextAt, error, row.id);
      this.record(row, 'failed', attempts, error, now);
    })();
  }

  /** Moved to the dead letters. */
  dead(row: OutboxRow, attempts: number, reason: string, now: number): void {
    this.db.transaction(() => {
      this.killStmt.run(attempts, now, reason, row.id);
      this.record(row, 'dead', attempts, reason, now);
    })();
  }

  /** A dead letter back to pending, as if just enqueued (its age restarts); false when there is none. */
  requeue(id: number, now: number): boolean {
    return this.requeueStmt.run(now, now, id).changes > 0;
  }

  discard(id: number): boolean {
    return this.discardStmt.run(id).changes > 0;
  }

  count(state: 'pending' | 'dead'): number {
    return this.countStmt.get(state)?.n ?? 0;
  }

  deadLetters(limit: number): DeadLetter[] {
    return this.deadStmt.all(limit).map((r) => ({
      id: r.id,
      channel: r.channel,
      meta: metaOf(r),
      enqueuedAt: r.enqueued_at,
      diedAt: r.died_at ?? r.enqueued_at,
      attempts: r.attempts,
      reason: r.last_error ?? '',
    }));
  }

  history(limit: number): DeliveryRecord[] {
    return this.historyStmt.all(limit).map((r) => ({
      id: r.message_id,
      channel: r.channel,
      meta: metaOf(r),
      time: r.updated_at,
      status: r.status,
      attempts: r.attempts,
      lastError: r.last_error,
    }));
  }

  private record(
    row: OutboxRow,
    status: DeliveryRecord['status'],
    attempts: number,
    error: string | null,
    now: number,
  ): void {
    this.recordStmt.run({
      id: row.id,
      channel: row.channel,
      source: row.source,
      receiver: row.receiver,
      integration: row.integration,
      summary: row.summary,
      status,
      attempts,
      last_error: error,
      updated_at: now,
    });
    this.trimStmt.run(this.historyLimit);
  }
}
