/**
 * The dispatcher: routes every stored alert to its routes' aggregation groups and flushes each group on its
 * own clock — `group_wait` after it is created (at once if an alert's `startsAt + group_wait` has passed
 * before the first flush), then every `group_interval` — as Alertmanager's `dispatch` package does. Flushes
 * of one group never overlap. Empty groups are dropped by {@link Dispatcher.gc}.
 */
import { type Alert, type LabelSet, resolvedAt } from './alert.ts';
import { fingerprint } from './fingerprint.ts';
import { formatLabelSet } from './matchers.ts';
import { groupLabels, matchRoutes, type RouteNode } from './routes.ts';

/** Delivers a flush: resolves true when the notification was handled (resolved alerts may then be dropped). */
export type FlushFn = (group: AggregationGroup, alerts: readonly Alert[]) => Promise<boolean>;

export class AggregationGroup {
  readonly alerts = new Map<string, Alert>();
  /** Alertmanager's group key: route key, `:`, the group labels. */
  readonly key: string;
  hasFlushed = false;
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private rerun = false;
  private stopped = false;

  constructor(
    readonly route: RouteNode,
    readonly labels: LabelSet,
    private readonly now: () => number,
    private readonly flushFn: FlushFn,
    private readonly onError: (err: unknown) => void,
    /** When the alert that created the group arrived; group_wait counts from there. */
    createdAt: number,
  ) {
    this.key = `${route.key}:${formatLabelSet(labels)}`;
    this.schedule(createdAt + route.groupWaitMs - now());
  }

  insert(a: Alert): void {
    this.alerts.set(a.fingerprint, a);
    if (!this.hasFlushed && a.startsAt + this.route.groupWaitMs < this.now()) this.schedule(0);
  }

  empty(): boolean {
    return this.alerts.size === 0;
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Resolves when a flush in progress has finished. */
  settled(): Promise<void> {
    return this.flushing ?? Promise.resolve();
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.tick(), Math.max(0, ms));
    this.timer.unref?.();
  }

  private tick(): void {
    // The next tick is armed before this flush runs, so ticks keep `group_interval` apart.
    this.hasFlushed = true;
    this.schedule(this.route.groupIntervalMs);
    if (this.flushing !== undefined) {
      this.rerun = true;
      return;
    }
    this.flushing = this.flush().finally(() => {
      this.flushing = undefined;
      if (this.rerun && !this.stopped) {
        this.rerun = false;
        this.flushing = this.flush().finally(() => {
          this.flushing = undefined;
        });
      }
    });
  }

  private async flush(): Promise<void> {
    const now = this.now();
    // Alerts that have not ended are sent without an end, so they cannot resolve as time passes.
    const batch = [...this.alerts.values()].map((a) => (resolvedAt(a, now) ? a : { ...a, endsAt: 0 }));
    batch.sort(compareAlerts);
    let ok = false;
    try {
      ok = await this.flushFn(this, batch);
    } catch (err) {
      this.onError(err);
    }
    if (!ok) return;
    for (const a of batch) {
      if (!resolvedAt(a, now)) continue;
      const current = this.alerts.get(a.fingerprint);
      // Keep it if it was updated since the flush took it.
      if (current !== undefined && current.updatedAt === a.updatedAt) this.alerts.delete(a.fingerprint);
    }
  }
}

export class Dispatcher {
  private readonly groups = new Map<RouteNode, Map<string, AggregationGroup>>();

  constructor(
    private readonly root: RouteNode,
    private readonly now: () => number,
    private readonly flushFn: FlushFn,
    private readonly onError: (err: unknown) => void,
  ) {}

  /**
   * Routes a stored alert into the groups of every route it matches. `receivedAt` is when the batch it came in
   * arrived (a new group's group_wait counts from there, so a large batch does not delay its last groups).
   */
  process(a: Alert, receivedAt: number = this.now()): void {
    for (const route of matchRoutes(this.root, a.labels)) {
      const labels = groupLabels(route, a.labels);
      const fp = fingerprint(labels);
      let byLabels = this.groups.get(route);
      if (byLabels === undefined) {
        byLabels = new Map();
        this.groups.set(route, byLabels);
      }
      let g = byLabels.get(fp);
      if (g === undefined) {
        g = new AggregationGroup(route, labels, this.now, this.flushFn, this.onError, receivedAt);
        byLabels.set(fp, g);
      }
      g.insert(a);
    }
  }

  /** Every group, in route order then creation order. */
  allGroups(): AggregationGroup[] {
    const out: AggregationGroup[] = [];
    for (const byLabels of this.groups.values()) out.push(...byLabels.values());
    return out;
  }

  /** Drops groups that have no alerts left. */
  gc(): void {
    for (const [route, byLabels] of this.groups) {
      for (const [fp, g] of byLabels) {
        if (g.empty()) {
          g.stop();
          byLabels.delete(fp);
        }
      }
      if (byLabels.size === 0) this.groups.delete(route);
    }
  }

  /** Stops every group's timer and waits for flushes in progress. */
  async stop(): Promise<void> {
    const all = this.allGroups();
    for (const g of all) g.stop();
    await Promise.all(all.map((g) => g.settled()));
    this.groups.clear();
  }
}

/** Alertmanager's alert order in a notification: by `job`, then `instance` (present first), then label set. */
export function compareAlerts(a: Alert, b: Alert): number {
  for (const k of ['job', 'instance']) {
    const x = a.labels[k];
    const y = b.labels[k];
    if (x === undefined && y === undefined) continue;
    if (x === undefined) return 1;
    if (y === undefined) return -1;
    if (x !== y) return x < y ? -1 : 1;
  }
  return labelSetBefore(a.labels, b.labels) ? -1 : labelSetBefore(b.labels, a.labels) ? 1 : 0;
}

/** Prometheus' `LabelSet.Before`: fewer labels first, then the first differing name or value in name order. */
function labelSetBefore(a: LabelSet, b: LabelSet): boolean {
  const an = Object.keys(a);
  const bn = Object.keys(b);
  if (an.length !== bn.length) return an.length < bn.length;
  const names = [...an, ...bn].sort();
  for (const n of names) {
    const x = a[n];
    if (x === undefined) return true;
    const y = b[n];
    if (y === undefined) return false;
    if (x !== y) return x < y;
  }
  return false;
}
