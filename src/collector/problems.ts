/**
 * Problems the collector meets every second (a missing file, a vanished process, an unreachable Docker daemon)
 * are logged once per kind, not once per pass: the rest is still collected, and the log stays readable.
 */
import type { Logger } from '../log/index.ts';

/** Records a problem under `key`; only the first report of a key is logged. */
export interface ProblemLog {
  once(key: string, message: string): void;
}

/** A ProblemLog writing warnings to `logger`, each key once (until `forget`). */
export class LoggedProblems implements ProblemLog {
  private readonly seen = new Set<string>();

  constructor(
    private readonly logger: Logger,
    /** Most distinct keys remembered; beyond, the oldest is forgotten (bounded memory under churn). */
    private readonly maxKeys = 10_000,
  ) {}

  once(key: string, message: string): void {
    if (this.seen.has(key)) return;
    if (this.seen.size >= this.maxKeys) {
      const oldest = this.seen.values().next().value;
      if (oldest !== undefined) this.seen.delete(oldest);
    }
    this.seen.add(key);
    this.logger.warn(message, { problem: key });
  }

  /** Lets `key` be logged again (the problem went away). */
  forget(key: string): void {
    this.seen.delete(key);
  }
}
