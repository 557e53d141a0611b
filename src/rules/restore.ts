/**
 * Restores how long alerts have been active after a restart, from the `ALERTS_FOR_STATE` series the rules wrote
 * before it (Prometheus' `RestoreForState`). A rule whose `for` is shorter than the grace period is not restored:
 * it simply waits its `for` again. For an alert found active within the outage tolerance, `activeAt` moves
 * forward by the downtime, but never so far that the alert fires sooner than one grace period from now.
 */
import type { Logger } from '../log/index.ts';
import { isStaleNaN, Matcher, metricNameLabel } from '../model/index.ts';
import type { Queryable } from '../storage/index.ts';
import { AlertingRule, alertsForStateMetric } from './rule-alerting.ts';
import type { RecordingRule } from './rule-recording.ts';

export interface RestoreOptions {
  readonly queryable: Queryable;
  /** How far back the last ALERTS_FOR_STATE sample may be. */
  readonly outageToleranceMs: number;
  /** The least time an alert pending before the restart still waits before firing. */
  readonly forGracePeriodMs: number;
}

/** Restores the alerting rules among `rules` as of `nowMs`, marking each restored. Never throws. */
export function restoreForState(
  rules: readonly (RecordingRule | AlertingRule)[],
  opts: RestoreOptions,
  nowMs: number,
  log: Logger,
): void {
  let q: ReturnType<Queryable['querier']>;
  try {
    q = opts.queryable.querier(nowMs - opts.outageToleranceMs, nowMs);
  } catch (err) {
    log.error('cannot restore the alerts for state: failed to get a querier', { err: (err as Error).message });
    return;
  }
  try {
    for (const rule of rules) {
      if (!(rule instanceof AlertingRule)) continue;
      const hold = rule.spec.forMs;
      if (hold < opts.forGracePeriodMs || rule.active.size === 0) {
        rule.restored = true;
        continue;
      }
      const set = q.select(false, undefined, [
        Matcher.create('=', metricNameLabel, alertsForStateMetric),
        Matcher.create('=', 'alertname', rule.spec.name),
      ]);
      const last = new Map<string, { t: number; v: number }>();
      while (set.next()) {
        const s = set.at();
        const c = s.cursor();
        let t = Number.NaN;
        let v = Number.NaN;
        while (c.next()) {
          t = c.atT();
          v = c.atV();
        }
        if (c.err() !== null || Number.isNaN(t)) continue;
        last.set(s.labels.without(metricNameLabel).key(), { t, v });
      }
      if (set.err() !== null) {
        log.error('cannot restore the alerts for state', { rule: rule.spec.name, err: set.err()?.message });
        rule.restored = true;
        continue;
      }
      for (const a of rule.active.values()) {
        const found = last.get(a.labels.key());
        if (found === undefined || isStaleNaN(found.v)) continue;
        const downAtMs = Math.trunc(found.t / 1000) * 1000;
        let activeAtMs = Math.trunc(found.v) * 1000;
        const remaining = hold - (downAtMs - activeAtMs);
        if (remaining <= 0) {
          // It was firing when vigil went down; the next evaluation sets it firing again if it still is.
        } else if (remaining < opts.forGracePeriodMs) {
          activeAtMs = nowMs + opts.forGracePeriodMs - hold;
        } else {
          activeAtMs += nowMs - downAtMs;
        }
        a.activeAtMs = activeAtMs;
        log.debug('restored the for state of an alert', { rule: rule.spec.name, alert: a.labels.toString() });
      }
      rule.restored = true;
    }
  } finally {
    q.close();
  }
}
