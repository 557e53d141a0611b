/**
 * The edge gateway's security events, sent to a `vigil start` server (`gateway.events_to`): events are gathered
 * for `batch_interval` (or until 500 are waiting) and each batch is handed to the notify outbox as one webhook
 * message to `<url>/api/v1/security/events`. The outbox keeps it in the gateway's own store until the server
 * accepts it (retries with backoff, kill -9 safe, in order); the server skips an event it already has, so a
 * batch sent twice is stored once. What is lost in a crash is at most the batch still gathering (the audit log
 * has it).
 */
import type { GatewayEventsToConfig } from '../config/index.ts';
import type { Logger } from '../log/index.ts';
import type { HttpSettings, Outbox } from '../notify/index.ts';
import type { EventSink, SecurityEvent } from './inspector.ts';

/** A batch is sent at once when this many events wait. */
const maxBatch = 500;

export class EventForwarder implements EventSink {
  private pending: SecurityEvent[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly url: string;
  private readonly http: HttpSettings;

  constructor(
    private readonly outbox: Outbox,
    private readonly target: GatewayEventsToConfig,
    private readonly logger: Logger,
  ) {
    this.url = `${target.url.replace(/\/+$/, '')}/api/v1/security/events`;
    const { url: _url, batch_interval: _interval, ...http } = target;
    this.http = http;
  }

  emit(event: SecurityEvent): void {
    this.pending.push(event);
    if (this.pending.length >= maxBatch) this.flush();
    else if (this.timer === undefined) {
      this.timer = setTimeout(() => this.flush(), this.target.batch_interval);
      this.timer.unref();
    }
  }

  /** Hands what is gathered to the outbox now (also on close). Never throws. */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0) return;
    const events = this.pending;
    this.pending = [];
    try {
      this.outbox.enqueue(
        { kind: 'webhook', url: this.url, body: { events }, http: this.http },
        {
          source: 'gateway',
          receiver: 'vigil',
          integration: 'security-events',
          summary: `${events.length} security event${events.length === 1 ? '' : 's'}`,
          stream: 'security-events',
        },
      );
    } catch (err) {
      this.logger.error('security events not queued for the vigil server', {
        events: events.length,
        err: err as Error,
      });
    }
  }

  close(): void {
    this.flush();
  }
}
