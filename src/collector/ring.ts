/**
 * The live ring: the last N housekeeping passes of one container, oldest first, overwritten in place. Memory is
 * fixed per container (N references), whatever the run time.
 */
import type { ContainerStats } from './types.ts';

export class StatsRing {
  private readonly items: (ContainerStats | undefined)[];
  private next = 0;
  private count = 0;

  /** `capacity`: passes kept (300 = 5 minutes at 1 s). */
  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 2) throw new RangeError(`StatsRing capacity: ${capacity}`);
    this.items = new Array(capacity);
  }

  push(s: ContainerStats): void {
    this.items[this.next] = s;
    this.next = (this.next + 1) % this.capacity;
    if (this.count < this.capacity) this.count++;
  }

  get size(): number {
    return this.count;
  }

  /** The newest pass, or undefined when empty. */
  latest(): ContainerStats | undefined {
    return this.count === 0 ? undefined : this.items[(this.next - 1 + this.capacity) % this.capacity];
  }

  /** The pass before the newest, for rates. */
  previous(): ContainerStats | undefined {
    return this.count < 2 ? undefined : this.items[(this.next - 2 + this.capacity) % this.capacity];
  }

  /** Passes with timestamps >= `sinceMs` (all by default), oldest first; at most `limit` of the newest. */
  list(sinceMs = Number.NEGATIVE_INFINITY, limit = this.capacity): ContainerStats[] {
    const out: ContainerStats[] = [];
    for (let i = 0; i < this.count; i++) {
      const s = this.items[(this.next - this.count + i + this.capacity) % this.capacity] as ContainerStats;
      if (s.timestampMs >= sinceMs) out.push(s);
    }
    return out.length > limit ? out.slice(out.length - limit) : out;
  }
}

/**
 * Per-second rate of a counter between two passes; a counter that went down (a container restart, a counter
 * reset) counts from zero, as Prometheus' rate() does. Null without two passes or time between them.
 */
export function counterRate(
  prev: number | null | undefined,
  cur: number | null | undefined,
  dtMs: number,
): number | null {
  if (prev === null || prev === undefined || cur === null || cur === undefined || !(dtMs > 0)) return null;
  const delta = cur >= prev ? cur - prev : cur;
  return delta / (dtMs / 1000);
}
