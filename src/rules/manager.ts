/**
 * The rule manager: loads rule files into groups, runs them on their schedules, swaps them on reload keeping the
 * state of the rules that survive (as Prometheus does), and answers what the rules and alerts APIs show.
 */
import type { Registry } from 'prom-client';
import type { Logger } from '../log/index.ts';
import { Labels } from '../model/index.ts';
import type { Engine, ParseOptions } from '../promql/index.ts';
import type { Appendable, Queryable } from '../storage/index.ts';
import { type RuleClock, systemRuleClock, type Timer } from './clock.ts';
import { RuleResultTypeError } from './errors.ts';
import { loadRuleFiles } from './file-load.ts';
import { Group, type GroupDeps } from './group.ts';
import { createRuleMetrics, forgetGroup, type RuleMetrics } from './metrics.ts';
import { type SendAlerts, toNotifierAlerts } from './notify.ts';
import type { RuleQuery } from './rule.ts';
import type { GroupSpec } from './spec.ts';
import { groupStatus, type RuleGroupStatus } from './status.ts';

export interface RuleManagerOptions {
  /**
   * Evaluates the rules' expressions (and templates' `query`). Read at each query, so a getter can hand over an
   * engine the application rebuilt on reload.
   */
  readonly engine: Engine;
  /** What rules read: the TSDB. */
  readonly queryable: Queryable;
  /** Where recording rules and ALERTS series are written: the TSDB. */
  readonly appendable: Appendable;
  /** The `vigil_rule_*` metrics are registered here. */
  readonly registry: Registry;
  readonly logger: Logger;
  /** @default the system clock */
  readonly clock?: RuleClock;
  /** Receives the alerts to notify after each evaluation of an alerting rule. @default alerts are dropped */
  readonly sendAlerts?: SendAlerts;
  /** `global.evaluation_interval`, for groups without `interval`. @default 60_000 */
  readonly evaluationIntervalMs?: number;
  /** `global.external_labels`: in templates' `$externalLabels` and added to notified alerts. @default {} */
  readonly externalLabels?: Readonly<Record<string, string>>;
  /** vigil's external URL (no trailing slash): templates' `$externalURL` and alerts' generator URL. @default '' */
  readonly externalUrl?: string;
  /** Least time between two notifications of a firing alert. @default 60_000 */
  readonly resendDelayMs?: number;
  /** How far back a restart looks for ALERTS_FOR_STATE. @default 3_600_000 */
  readonly outageToleranceMs?: number;
  /** Least time an alert pending before a restart waits before firing. @default 600_000 */
  readonly forGracePeriodMs?: number;
  /**
   * Whether the groups of the first load restore their alerts' `for` state from ALERTS_FOR_STATE (their alerting
   * rules write no ALERTS series before the restoration, after the second evaluation). @default true
   */
  readonly restoreOnStart?: boolean;
  /** PromQL features rule expressions may use. @default the engine's defaults */
  readonly parseOptions?: ParseOptions;
}

/** Settings a config reload may change. */
export interface RuleSettings {
  readonly evaluationIntervalMs?: number;
  readonly externalLabels?: Readonly<Record<string, string>>;
  readonly externalUrl?: string;
}

function positive(name: string, v: number | undefined, def: number): number {
  if (v === undefined) return def;
  if (!Number.isFinite(v) || v <= 0)
    throw new RangeError(`RuleManagerOptions.${name}: must be a positive number, got ${v}`);
  return v;
}

export class RuleManager {
  readonly name = 'rules';
  private groups = new Map<string, Group>();
  private readonly metrics: RuleMetrics;
  private readonly clock: RuleClock;
  private readonly deps: Omit<GroupDeps, 'externalLabels' | 'externalUrl'>;
  private evaluationIntervalMs: number;
  private externalLabels: Readonly<Record<string, string>>;
  private externalUrl: string;
  /** Whether the first load happened: only groups of the first load restore their alerts' state. */
  private loaded = false;
  private started = false;
  private closed = false;
  private readonly staleTimers = new Set<Timer>();
  private updating: Promise<void> = Promise.resolve();

  constructor(private readonly options: RuleManagerOptions) {
    this.clock = options.clock ?? systemRuleClock;
    this.evaluationIntervalMs = positive('evaluationIntervalMs', options.evaluationIntervalMs, 60_000);
    this.externalLabels = options.externalLabels ?? {};
    this.externalUrl = (options.externalUrl ?? '').replace(/\/+$/, '');
    this.metrics = createRuleMetrics(options.registry);
    const send = options.sendAlerts;
    this.deps = {
      queryable: options.queryable,
      appendable: options.appendable,
      query: (query, timeMs) => engineQuery(options.engine, options.queryable)(query, timeMs),
      logger: options.logger,
      clock: this.clock,
      metrics: this.metrics,
      notify: (expr, alerts) => {
        if (alerts.length === 0 || send === undefined) return;
        try {
          send(toNotifierAlerts(alerts, expr, this.externalUrl, this.externalLabels));
        } catch (err) {
          options.logger.error('sending alerts failed', { err: (err as Error).message });
        }
      },
      resendDelayMs: positive('resendDelayMs', options.resendDelayMs, 60_000),
      outageToleranceMs: positive('outageToleranceMs', options.outageToleranceMs, 3_600_000),
      forGracePeriodMs: positive('forGracePeriodMs', options.forGracePeriodMs, 600_000),
    };
  }

  /**
   * Loads `files` (paths from `expandRuleFiles`) and swaps the running groups for them. Throws RuleFileError
   * listing every problem, and then changes nothing. Groups that did not change keep running untouched; a changed
   * group takes over the state of the rules it shares with the old one; removed groups' series are marked stale
   * two intervals later. Calls are serialized.
   */
  async update(files: readonly string[], settings: RuleSettings = {}): Promise<void> {
    const specs = loadRuleFiles(files, { parseOptions: this.options.parseOptions });
    await this.updateGroups(specs, settings);
  }

  /** `update` with groups already parsed (tests, the embedded defaults). */
  updateGroups(specs: readonly GroupSpec[], settings: RuleSettings = {}): Promise<void> {
    const run = this.updating.then(() => this.apply(specs, settings));
    this.updating = run.catch(() => {});
    return run;
  }

  private async apply(specs: readonly GroupSpec[], settings: RuleSettings): Promise<void> {
    if (this.closed) return;
    this.evaluationIntervalMs = positive(
      'evaluationIntervalMs',
      settings.evaluationIntervalMs,
      this.evaluationIntervalMs,
    );
    const externalLabels = settings.externalLabels ?? this.externalLabels;
    const externalUrl = (settings.externalUrl ?? this.externalUrl).replace(/\/+$/, '');
    // Templates see these: a change re-creates every group (keeping the rules' state).
    const templatesChanged =
      externalUrl !== this.externalUrl || JSON.stringify(externalLabels) !== JSON.stringify(this.externalLabels);
    this.externalLabels = externalLabels;
    this.externalUrl = externalUrl;
    const deps: GroupDeps = { ...this.deps, externalLabels: this.externalLabels, externalUrl: this.externalUrl };
    const next = new Map<string, Group>();
    for (const spec of specs) {
      const restore = !this.loaded && this.options.restoreOnStart !== false;
      const g = new Group(spec, spec.intervalMs || this.evaluationIntervalMs, deps, restore);
      next.set(g.key, g);
    }
    this.loaded = true;
    const old = this.groups;
    const kept = new Map<string, Group>();
    const stops: Promise<void>[] = [];
    for (const [key, g] of next) {
      const prev = old.get(key);
      if (prev === undefined) continue;
      if (prev.equals(g) && !templatesChanged) {
        kept.set(key, prev);
        continue;
      }
      stops.push(prev.stop().then(() => g.copyState(prev)));
    }
    for (const [key, g] of old) {
      if (next.has(key)) continue;
      forgetGroup(this.metrics, key);
      stops.push(g.stop().then(() => this.markStaleLater(g)));
    }
    await Promise.all(stops);
    const groups = new Map<string, Group>();
    for (const [key, g] of next) groups.set(key, kept.get(key) ?? g);
    this.groups = groups;
    if (this.started) for (const g of groups.values()) g.start();
  }

  /** Writes stale markers for a removed group's series after two of its intervals, unless vigil stops first. */
  private markStaleLater(g: Group): void {
    const at = this.clock.now();
    const timer = this.clock.setTimer(async () => {
      this.staleTimers.delete(timer);
      await g.markAllStale(at);
    }, 2 * g.intervalMs);
    this.staleTimers.add(timer);
  }

  /** Starts evaluating the loaded groups (and the groups of later updates). */
  start(): void {
    if (this.started || this.closed) return;
    this.started = true;
    for (const g of this.groups.values()) g.start();
  }

  /** Stops every group, waiting for evaluations in progress. Idempotent. */
  async stop(): Promise<void> {
    this.closed = true;
    await this.updating;
    for (const t of this.staleTimers) t.cancel();
    this.staleTimers.clear();
    await Promise.all([...this.groups.values()].map((g) => g.stop()));
  }

  /** The running groups, in file order then as declared. */
  ruleGroups(): Group[] {
    return [...this.groups.values()];
  }

  /** Snapshots of the groups for the rules and alerts APIs. */
  ruleGroupStatus(): RuleGroupStatus[] {
    return this.ruleGroups().map(groupStatus);
  }

  /** Evaluates every group once at `tsMs`, in order (tests and `vigil check`-like tools; not the schedule). */
  async evalAll(tsMs: number): Promise<void> {
    for (const g of this.groups.values()) await g.iterate(tsMs);
  }
}

/** A RuleQuery on the engine: vectors as they are, a scalar as one sample without labels, other types refused. */
export function engineQuery(engine: Engine, queryable: Queryable): RuleQuery {
  return async (query, timeMs) => {
    const r = await engine.instantQuery(queryable, query, timeMs);
    switch (r.value.type) {
      case 'vector':
        return r.value.samples.map((s) => ({ metric: s.metric, t: s.t, f: s.f }));
      case 'scalar':
        return [{ metric: Labels.empty, t: r.value.t, f: r.value.v }];
      default:
        throw new RuleResultTypeError(r.value.type);
    }
  };
}
