export interface FailureLimiterOptions {
  /** Failures allowed per key within the window; the next attempt is refused until the window ends. */
  maxFailures: number;
  windowMs: number;
  /** Most keys tracked; the oldest are forgotten first, so a flood of addresses cannot grow memory. @default 10000 */
  maxKeys?: number;
  now?: () => number;
}

interface Entry {
  count: number;
  startedAt: number;
}

/** Counts failures (failed logins) per key (client IP) in fixed windows that start at the first failure. */
export class FailureLimiter {
  private readonly entries = new Map<string, Entry>();
  private maxFailures: number;
  private windowMs: number;
  private readonly maxKeys: number;
  private readonly now: () => number;

  constructor(options: FailureLimiterOptions) {
    this.maxFailures = options.maxFailures;
    this.windowMs = options.windowMs;
    this.maxKeys = options.maxKeys ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  /** Applies new limits; counts so far are kept. */
  configure(maxFailures: number, windowMs: number): void {
    this.maxFailures = maxFailures;
    this.windowMs = windowMs;
  }

  /** Milliseconds until `key` may try again; 0 when it may now. */
  retryAfterMs(key: string): number {
    const e = this.live(key);
    if (e === undefined || e.count < this.maxFailures) return 0;
    return e.startedAt + this.windowMs - this.now();
  }

  fail(key: string): void {
    const e = this.live(key);
    if (e !== undefined) {
      e.count++;
      return;
    }
    if (this.entries.size >= this.maxKeys) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(key, { count: 1, startedAt: this.now() });
  }

  reset(key: string): void {
    this.entries.delete(key);
  }

  private live(key: string): Entry | undefined {
    const e = this.entries.get(key);
    if (e !== undefined && this.now() - e.startedAt >= this.windowMs) {
      this.entries.delete(key);
      return undefined;
    }
    return e;
  }
}
