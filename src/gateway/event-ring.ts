/** A bounded in-memory EventSink: the last `capacity` security events, oldest first when read. */
import type { EventSink, SecurityEvent } from './inspector.ts';

export class SecurityEventRing implements EventSink {
  private readonly slots: Array<SecurityEvent | undefined>;
  private next = 0;
  private count = 0;

  constructor(
    /** Events kept; the oldest is dropped for each one past it. @default 1000 */
    readonly capacity = 1000,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`capacity: expected an integer ≥ 1, got ${capacity}`);
    this.slots = new Array(capacity);
  }

  emit(event: SecurityEvent): void {
    this.slots[this.next] = event;
    this.next = (this.next + 1) % this.capacity;
    if (this.count < this.capacity) this.count++;
  }

  /** The events kept, oldest first (a copy). */
  events(): SecurityEvent[] {
    const out: SecurityEvent[] = [];
    const start = (this.next - this.count + this.capacity) % this.capacity;
    for (let i = 0; i < this.count; i++) out.push(this.slots[(start + i) % this.capacity] as SecurityEvent);
    return out;
  }

  get size(): number {
    return this.count;
  }
}
