/**
 * The notification pipeline of one flush, as Alertmanager runs it: inhibition, active and mute time
 * intervals, silences; then per integration of the receiver: dedup against the notification log, render, and
 * (in one store transaction) log the notification and put the message in the outbox.
 */
import type { Logger } from '../log/index.ts';
import type { Message, MessageMeta } from '../notify/index.ts';
import type { TemplateSet } from '../template/index.ts';
import { type Alert, resolvedAt } from './alert.ts';
import type { AggregationGroup } from './dispatcher.ts';
import type { Inhibitor } from './inhibit.ts';
import { type Integration, summaryOf } from './integrations.ts';
import { type NotificationLog, needsUpdate } from './nflog.ts';
import type { Silences } from './silences.ts';
import { type TemplateData, templateData } from './template-data.ts';
import type { TimeIntervals } from './time-intervals.ts';

/** Where rendered messages go: the outbox's synchronous enqueue (run inside the pipeline's transaction). */
export interface MessageSink {
  enqueue(message: Message, meta: MessageMeta): number;
}

export interface PipelineDeps {
  /** Commits a write (the log entry and the enqueue) in a store transaction; see CommitBatcher. */
  readonly commit: (write: () => void) => Promise<void>;
  readonly nflog: NotificationLog;
  readonly sink: MessageSink;
  readonly inhibitor: Inhibitor;
  readonly silences: Silences;
  readonly intervals: TimeIntervals;
  readonly receivers: ReadonlyMap<string, readonly Integration[]>;
  readonly templates: TemplateSet;
  readonly externalURL: () => string;
  readonly now: () => number;
  readonly logger: Logger;
  /** Called per integration outcome: `notified`, `deduplicated`, `failed` (render or enqueue). */
  readonly count: (receiver: string, integration: string, outcome: 'notified' | 'deduplicated' | 'failed') => void;
}

/** Runs the pipeline for a flush; resolves true unless an integration failed to render or enqueue. */
export async function runPipeline(
  deps: PipelineDeps,
  group: AggregationGroup,
  batch: readonly Alert[],
): Promise<boolean> {
  const now = deps.now();
  const route = group.route;
  let alerts = batch.filter((a) => deps.inhibitor.inhibitedBy(a.labels) === undefined);
  if (alerts.length === 0) return true;
  if (route.activeTimeIntervals.length > 0 && !deps.intervals.anyContains(route.activeTimeIntervals, now)) return true;
  if (route.muteTimeIntervals.length > 0 && deps.intervals.anyContains(route.muteTimeIntervals, now)) return true;
  alerts = alerts.filter((a) => deps.silences.mutedBy(a.labels).length === 0);
  if (alerts.length === 0) return true;

  const firing = new Set<string>();
  const resolved = new Set<string>();
  for (const a of alerts) (resolvedAt(a, now) ? resolved : firing).add(a.fingerprint);

  const receiver = route.receiver;
  let ok = true;
  for (const integration of deps.receivers.get(receiver) ?? []) {
    const entry = deps.nflog.get(group.key, receiver, integration.name);
    if (!needsUpdate(entry, firing, resolved, integration.sendResolved, route.repeatIntervalMs, now)) {
      deps.count(receiver, integration.name, 'deduplicated');
      continue;
    }
    const sent = integration.sendResolved ? alerts : alerts.filter((a) => firing.has(a.fingerprint));
    const expires = 2 * route.repeatIntervalMs;
    try {
      if (sent.length === 0) {
        // Only resolved alerts and the integration does not send those: record them, send nothing.
        deps.nflog.log(group.key, receiver, integration.name, [...firing], [...resolved], expires);
        continue;
      }
      let data: TemplateData | undefined;
      const message = await integration.render({
        // Built only for integrations that run templates (the webhook payload needs none).
        data: () => {
          data ??= templateData(receiver, group.labels, sent, deps.externalURL(), now);
          return data;
        },
        receiver,
        groupLabels: group.labels,
        externalURL: deps.externalURL(),
        alerts: sent,
        groupKey: group.key,
        templates: deps.templates,
        now,
      });
      const meta: MessageMeta = {
        source: 'alerting',
        receiver,
        integration: integration.name,
        summary: summaryOf(sent, now),
        // Each group's notifications stay in order; groups to one receiver are delivered concurrently.
        stream: group.key,
      };
      await deps.commit(() => {
        deps.nflog.log(group.key, receiver, integration.name, [...firing], [...resolved], expires);
        deps.sink.enqueue(message, meta);
      });
      deps.count(receiver, integration.name, 'notified');
    } catch (err) {
      // Not logged in the nflog: the next flush tries again.
      deps.nflog.restore(group.key, receiver, integration.name, entry);
      ok = false;
      deps.count(receiver, integration.name, 'failed');
      deps.logger.error('notification failed; retried at the next flush', {
        receiver,
        integration: integration.name,
        group: group.key,
        err,
      });
    }
  }
  return ok;
}
