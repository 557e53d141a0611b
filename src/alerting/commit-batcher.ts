/**
 * Group commit for the notification pipeline: the writes of every flush that is ready in the same turn of
 * the event loop (each a notification-log entry and an outbox message) go into one store transaction, so a
 * burst of groups flushing together costs one fsync instead of one each. A write's promise settles after its
 * transaction committed (or failed); when a batch fails, its writes are retried one transaction each, so one
 * bad write does not fail the others.
 */
import type Database from 'better-sqlite3';

interface Pending {
  write: () => void;
  resolve: () => void;
  reject: (err: unknown) => void;
}

export class CommitBatcher {
  private pending: Pending[] = [];
  private scheduled = false;

  constructor(private readonly db: Database.Database) {}

  /** Runs `write` inside a transaction shared with the other writes of this turn; resolves once committed. */
  commit(write: () => void): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ write, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.run());
      }
    });
  }

  private run(): void {
    this.scheduled = false;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    try {
      this.db.transaction(() => {
        for (const p of batch) p.write();
      })();
      for (const p of batch) p.resolve();
      return;
    } catch {
      // Fall through: find the write that failed by committing each alone.
    }
    for (const p of batch) {
      try {
        this.db.transaction(p.write)();
        p.resolve();
      } catch (err) {
        p.reject(err);
      }
    }
  }
}
