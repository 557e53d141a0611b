/** The outbox's metrics. Labels carry receiver and integration names, never a URL. */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export interface OutboxMetrics {
  sent: Counter<'channel' | 'receiver' | 'integration'>;
  failed: Counter<'channel' | 'receiver' | 'integration' | 'reason'>;
  latency: Histogram<'channel' | 'integration'>;
}

/** Registers the outbox metrics on `registry`; the two gauges read `depth()` and `deadLetters()` at collect. */
export function registerOutboxMetrics(
  registry: Registry,
  source: { depth(): number; deadLetterCount(): number },
): OutboxMetrics {
  new Gauge({
    name: 'vigil_notification_outbox_depth',
    help: 'Notifications waiting in the outbox (not yet delivered, not dead).',
    registers: [registry],
    collect() {
      this.set(source.depth());
    },
  });
  new Gauge({
    name: 'vigil_notification_dead_letters',
    help: 'Notifications in the dead-letter list.',
    registers: [registry],
    collect() {
      this.set(source.deadLetterCount());
    },
  });
  return {
    sent: new Counter({
      name: 'vigil_notifications_total',
      help: 'Notifications delivered.',
      labelNames: ['channel', 'receiver', 'integration'],
      registers: [registry],
    }),
    failed: new Counter({
      name: 'vigil_notifications_failed_total',
      help: 'Delivery attempts that failed, by reason: transient, rate_limited or permanent.',
      labelNames: ['channel', 'receiver', 'integration', 'reason'],
      registers: [registry],
    }),
    latency: new Histogram({
      name: 'vigil_notification_latency_seconds',
      help: 'Duration of delivery attempts, failed ones included, by channel and integration (e.g. slack/0).',
      labelNames: ['channel', 'integration'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
  };
}
