import type { Logger } from '../log/index.ts';
import { deliver } from './channels.ts';
import { InvalidMessageError } from './errors.ts';
import type { OutboxMetrics } from './metrics.ts';
import { registerOutboxMetrics } from './metrics.ts';
import { backoffMs, type OutboxOptions, type ResolvedOptions, resolveOptions } from './options.ts';
import { type Head, OutboxRepo, type OutboxRow } from './outbox-repo.ts';
import type { Outcome } from './outcome.ts';
import { destinationOf, redact, type StoredMessage, secretsOf, toStored } from './stored.ts';
import type { DeadLetter, DeliveryRecord, Message, MessageMeta } from './types.ts';

/**
 * The durable notification outbox. `enqueue` writes a message to the store (synchronous=FULL, so it survives
 * a crash once the caller's transaction commits); a sender loop delivers it and deletes it only once the
 * receiver accepted it. Delivery is at least once: a crash between the receiver's answer and the delete sends
 * that message again after the restart.
 *
 * Ordering: messages of one stream (`MessageMeta.stream`, default one per destination) to one destination (a
 * Slack or webhook URL; an SMTP server and recipient list) go out one at a time in enqueue order, and a
 * message waiting out a backoff holds back the later ones; other streams and destinations are independent
 * (up to `maxConcurrent` attempts at once). The Slack rate limit applies per destination, across its
 * streams. A dead message no longer holds anything back.
 *
 * Failures: transient ones (5xx, 408, connection errors, timeouts, SMTP 4xx) are retried with full-jitter
 * exponential backoff until the message is `retry.maxAgeMs` old, then it goes to the dead letters; a 429
 * waits its Retry-After (capped at `retry.maxMs`); permanent ones (other 4xx, SMTP 5xx) go to the dead
 * letters at once, with the receiver's reason.
 *
 * Single-threaded like the rest of vigil: methods are called from the event loop; one Outbox per database.
 */
export class Outbox {
  private readonly o: ResolvedOptions;
  private readonly repo: OutboxRepo;
  private readonly log: Logger;
  private readonly metrics: OutboxMetrics;
  /** Queues (destination and stream) with an attempt in flight, and that attempt. */
  private readonly inflight = new Map<string, Promise<void>>();
  /** When the last attempt to each Slack destination started (for the per-webhook rate limit). */
  private readonly lastSlackStart = new Map<string, number>();
  private readonly abort = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private pumpQueued = false;
  /**
   * Outcomes recorded but not yet committed: the writes of every attempt that settles in one turn of the event
   * loop share a transaction (one fsync for a burst of deliveries). Their rows are not attempted again meanwhile.
   */
  private settleWrites: (() => void)[] = [];
  private readonly settling = new Set<number>();
  private state: 'new' | 'running' | 'closing' | 'closed' = 'new';

  constructor(options: OutboxOptions) {
    this.o = resolveOptions(options);
    this.repo = new OutboxRepo(this.o.store.db, this.o.historyLimit);
    this.log = this.o.logger;
    this.metrics = registerOutboxMetrics(this.o.registry, {
      depth: () => this.depth(),
      deadLetterCount: () => this.deadLetterCount(),
    });
  }

  /**
   * Stores a message for delivery and returns its id. A synchronous INSERT: call it inside the caller's
   * `store.db.transaction()` to commit the message together with the caller's own state. The sender looks
   * at it after the current tick (so a rolled-back transaction sends nothing). Throws InvalidMessageError or
   * UnsupportedSettingError for a message that could never be delivered. Before `start()` or after
   * `close()` the message is stored and waits for the next started Outbox on this database.
   */
  enqueue(message: Message, meta: MessageMeta): number {
    for (const key of ['source', 'receiver', 'integration', 'summary'] as const)
      if (typeof meta?.[key] !== 'string') throw new InvalidMessageError(`meta.${key}`, 'expected a string');
    const stored = toStored(message);
    const id = this.repo.insert(stored.kind, destinationOf(stored), JSON.stringify(stored), meta, this.o.now());
    this.wake();
    return id;
  }

  /** Starts delivering, beginning with what an earlier process left pending. */
  start(): void {
    if (this.state !== 'new') return;
    this.state = 'running';
    const pending = this.depth();
    if (pending > 0) this.log.info('notification outbox has pending messages', { pending });
    this.wake();
  }

  /**
   * Stops the sender: no new attempts; waits up to `closeTimeoutMs` for attempts in flight (whose outcome is
   * recorded), then cancels the rest (left pending, not counted as attempts). Idempotent. Does not close
   * the store.
   */
  async close(): Promise<void> {
    if (this.state === 'closing' || this.state === 'closed') return;
    this.state = 'closing';
    this.clearTimer();
    if (this.inflight.size > 0) {
      let timeout: NodeJS.Timeout | undefined;
      const waited = new Promise<void>((resolve) => {
        timeout = setTimeout(resolve, this.o.closeTimeoutMs);
      });
      await Promise.race([Promise.allSettled([...this.inflight.values()]), waited]);
      clearTimeout(timeout);
      this.abort.abort();
      await Promise.allSettled([...this.inflight.values()]);
    }
    this.commitSettles();
    this.state = 'closed';
  }

  /** Messages not yet delivered and not dead. */
  depth(): number {
    return this.repo.count('pending');
  }

  /** Dead letters, most recent first. */
  deadLetters(limit = 100): DeadLetter[] {
    return this.repo.deadLetters(limit);
  }

  /** Puts a dead letter back in the queue with a fresh age; false when `id` is not a dead letter. */
  retryDeadLetter(id: number): boolean {
    const ok = this.repo.requeue(id, this.o.now());
    if (ok) {
      this.log.info('dead notification re-queued', { id });
      this.wake();
    }
    return ok;
  }

  /** Deletes a dead letter (its history stays); false when `id` is not a dead letter. */
  discardDeadLetter(id: number): boolean {
    const ok = this.repo.discard(id);
    if (ok) this.log.info('dead notification discarded', { id });
    return ok;
  }

  /** Each recent message's latest outcome, newest first. Holds no URL and no secret. */
  history(limit = 100): DeliveryRecord[] {
    return this.repo.history(limit);
  }

  private deadLetterCount(): number {
    return this.repo.count('dead');
  }

  /** Runs the sender loop after the current tick, once however many times it is called. */
  private wake(): void {
    if (this.state !== 'running' || this.pumpQueued) return;
    this.pumpQueued = true;
    setImmediate(() => {
      this.pumpQueued = false;
      this.pump();
    });
  }

  private clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Starts every due head whose destination is idle, and sets a timer for the next one due. */
  private pump(): void {
    if (this.state !== 'running') return;
    // Full: an attempt settling wakes the pump again.
    if (this.inflight.size >= this.o.maxConcurrent) return;
    this.clearTimer();
    // Heads come soonest due first, so a window a little larger than what can be started (plus what is
    // skipped because it is in flight or settling) usually holds every head that can start now; when the window
    // was full and slots are still free, the rest is read too (e.g. past heads held by a Slack rate limit).
    const window = 2 * this.o.maxConcurrent + this.inflight.size + this.settling.size;
    let next = this.startDue(this.repo.heads(window));
    if (next.looked === window && this.inflight.size < this.o.maxConcurrent) next = this.startDue(this.repo.heads());
    if (next.at !== Number.POSITIVE_INFINITY) {
      const now = this.o.now();
      this.timer = setTimeout(() => this.pump(), Math.max(0, next.at - now));
    }
  }

  /** Starts the due heads whose queue is idle, while slots are free; returns the soonest time one is due later. */
  private startDue(heads: readonly Head[]): { at: number; looked: number } {
    const now = this.o.now();
    let at = Number.POSITIVE_INFINITY;
    for (const head of heads) {
      const queue = `${head.destination}\u0000${head.stream}`;
      if (this.inflight.has(queue) || this.settling.has(head.id)) continue;
      if (this.inflight.size >= this.o.maxConcurrent) break; // resumed when an attempt settles
      let due = head.next_attempt_at;
      if (head.channel === 'slack' && this.o.slackIntervalMs > 0) {
        const last = this.lastSlackStart.get(head.destination);
        if (last !== undefined) due = Math.max(due, last + this.o.slackIntervalMs);
      }
      if (due > now) {
        at = Math.min(at, due);
        continue;
      }
      this.attempt(head.id, head.destination, queue);
    }
    return { at, looked: heads.length };
  }

  private attempt(id: number, destination: string, queue: string): void {
    const row = this.repo.get(id);
    if (row === undefined || row.state !== 'pending') return;
    let message: StoredMessage;
    try {
      message = JSON.parse(row.message) as StoredMessage;
    } catch {
      this.repo.dead(row, row.attempts, 'unreadable stored message', this.o.now());
      return;
    }
    const started = this.o.now();
    if (message.kind === 'slack') this.lastSlackStart.set(destination, started);
    const run = (async () => {
      const t0 = performance.now();
      const outcome = await deliver(message, {
        timeoutMs: this.o.timeoutMs,
        responseLimitBytes: this.o.responseLimitBytes,
        userAgent: this.o.userAgent,
        signal: this.abort.signal,
        now: this.o.now,
      }).catch((err: unknown): Outcome => ({ ok: false, kind: 'transient', reason: String(err) }));
      this.metrics.latency.observe(
        { channel: row.channel, integration: row.integration },
        (performance.now() - t0) / 1000,
      );
      if (this.abort.signal.aborted && !outcome.ok) return; // canceled by close(): not an attempt
      this.settle(row, message, outcome);
    })()
      .catch((err: unknown) => {
        this.log.error('notification outcome not recorded', { id: row.id, err: err as Error });
      })
      .finally(() => {
        this.inflight.delete(queue);
        this.wake();
      });
    this.inflight.set(queue, run);
  }

  /** Queues the write of an attempt's outcome; {@link commitSettles} runs it with the others of this turn. */
  private later(id: number, write: () => void): void {
    this.settling.add(id);
    this.settleWrites.push(write);
    if (this.settleWrites.length === 1) setImmediate(() => this.commitSettles());
  }

  /** Commits the queued outcomes in one transaction (each alone if that fails), then looks for more work. */
  private commitSettles(): void {
    const writes = this.settleWrites;
    this.settleWrites = [];
    const db = this.o.store.db;
    if (writes.length > 0 && db.open) {
      // An outcome need not survive a power loss, only a crash: losing one re-sends that message (delivery is
      // at least once), so these commits skip the fsync (WAL with synchronous=NORMAL is still crash-safe); the
      // next synchronous=FULL commit (an enqueue) syncs them to disk as well.
      db.pragma('synchronous = NORMAL');
      try {
        db.transaction(() => {
          for (const w of writes) w();
        })();
      } catch {
        for (const w of writes) {
          try {
            db.transaction(w)();
          } catch (err) {
            this.log.error('notification outcome not recorded', { err: err as Error });
          }
        }
      } finally {
        db.pragma('synchronous = FULL');
      }
    }
    this.settling.clear();
    this.wake();
  }

  private settle(row: OutboxRow, message: StoredMessage, outcome: Outcome): void {
    if (!this.o.store.db.open) return;
    const now = this.o.now();
    const attempts = row.attempts + 1;
    const labels = { channel: row.channel, receiver: row.receiver, integration: row.integration };
    const fields = { id: row.id, channel: row.channel, receiver: row.receiver, integration: row.integration, attempts };
    if (outcome.ok) {
      this.later(row.id, () => this.repo.sent(row, attempts, now));
      this.metrics.sent.inc(labels);
      this.log.debug('notification delivered', fields);
      return;
    }
    const reason = redact(outcome.reason, secretsOf(message));
    this.metrics.failed.inc({ ...labels, reason: outcome.kind });
    if (outcome.kind === 'permanent') {
      this.later(row.id, () => this.repo.dead(row, attempts, reason, now));
      this.log.error('notification refused; moved to dead letters', { ...fields, reason });
      return;
    }
    const deadline = row.queued_at + this.o.maxAgeMs;
    if (now >= deadline) {
      const why = `gave up after ${attempts} attempts: ${reason}`;
      this.later(row.id, () => this.repo.dead(row, attempts, why, now));
      this.log.error('notification expired; moved to dead letters', { ...fields, reason });
      return;
    }
    const wait =
      outcome.retryAfterMs !== undefined ? Math.min(outcome.retryAfterMs, this.o.maxMs) : backoffMs(attempts, this.o);
    const nextAt = Math.min(now + wait, deadline);
    this.later(row.id, () => this.repo.failed(row, attempts, nextAt, reason, now));
    this.log.warn('notification attempt failed; will retry', { ...fields, reason, retry_in_ms: nextAt - now });
  }
}
