/**
 * Security events into the store: the events of one turn of the event loop are written in one transaction
 * (a burst of attacks costs one commit, not one per request), and events older than the retention are deleted
 * about once an hour. A failed write is logged and the events dropped (the audit log has them too).
 */
import type { Logger } from '../log/index.ts';
import type { Store } from '../store/index.ts';
import type { EventSink, SecurityEvent } from './inspector.ts';

export interface StoreEventSinkOptions {
  store: Store;
  logger: Logger;
  /** How long events are kept. @default 30 days */
  retentionMs?: number;
  now?: () => number;
}

export class StoreEventSink implements EventSink {
  private pending: SecurityEvent[] = [];
  private readonly retentionMs: number;
  private readonly now: () => number;
  private lastTrim = 0;

  constructor(private readonly options: StoreEventSinkOptions) {
    this.retentionMs = options.retentionMs ?? 30 * 86_400_000;
    this.now = options.now ?? Date.now;
  }

  emit(event: SecurityEvent): void {
    this.pending.push(event);
    if (this.pending.length === 1) setImmediate(() => this.flush());
  }

  /** Writes what is pending now (also called by close paths and tests). */
  flush(): void {
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0 || !this.options.store.db.open) return;
    try {
      this.options.store.securityEvents.insertEvents(batch);
      const now = this.now();
      if (now - this.lastTrim > 3_600_000) {
        this.lastTrim = now;
        this.options.store.securityEvents.deleteBefore(now - this.retentionMs);
      }
    } catch (err) {
      this.options.logger.error('security events not stored', { events: batch.length, err: err as Error });
    }
  }
}

/** Sends each event to every sink. */
export function fanOut(...sinks: EventSink[]): EventSink {
  return {
    emit(event) {
      for (const s of sinks) s.emit(event);
    },
  };
}
