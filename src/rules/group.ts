/**
 * A rule group: its rules evaluated one after the other at each of the group's evaluation times, on
 * Prometheus' schedule (see eval-time.ts). Evaluations never overlap: the next is scheduled when one ends, and
 * the times a slow evaluation skipped are counted as missed. Each rule's samples are committed before the next
 * rule runs, so a rule sees what the rules before it recorded at the same time.
 */
import type { Logger } from '../log/index.ts';
import type { Labels } from '../model/index.ts';
import { QueryCanceledError } from '../promql/index.ts';
import type { Appendable, Queryable } from '../storage/index.ts';
import type { Alert } from './alert.ts';
import type { RuleClock, Timer } from './clock.ts';
import { evalTimestamp } from './eval-time.ts';
import { appendRuleResult, appendStaleMarkers } from './group-append.ts';
import type { RuleMetrics } from './metrics.ts';
import { restoreForState } from './restore.ts';
import type { RuleEvalContext, RuleQuery, RuleSample } from './rule.ts';
import { AlertingRule } from './rule-alerting.ts';
import { RecordingRule } from './rule-recording.ts';
import { type GroupSpec, groupKey } from './spec.ts';

export type Rule = RecordingRule | AlertingRule;

/** What groups share, from their manager. */
export interface GroupDeps {
  readonly queryable: Queryable;
  readonly appendable: Appendable;
  readonly query: RuleQuery;
  readonly logger: Logger;
  readonly clock: RuleClock;
  readonly metrics: RuleMetrics;
  /** Hands the alerts of rule `expr` to the notifier; called after every evaluation of an alerting rule. */
  readonly notify: (expr: string, alerts: Alert[]) => void;
  readonly externalLabels: Readonly<Record<string, string>>;
  readonly externalUrl: string;
  readonly resendDelayMs: number;
  readonly outageToleranceMs: number;
  readonly forGracePeriodMs: number;
}

export class Group {
  readonly key: string;
  readonly rules: Rule[];
  /** Wall time of the latest evaluation, ms. */
  evaluationTimeMs = 0;
  /** Wall-clock start of the latest evaluation, Unix ms. */
  lastEvaluationMs: number | undefined;
  /** The evaluation time of the latest evaluation, Unix ms. */
  lastEvalTimestampMs: number | undefined;
  /** Series each rule wrote in its latest evaluation, by label key: those it stops writing get stale markers. */
  private previous: Map<string, Labels>[];
  /** Series of rules removed by a reload, marked stale at the next evaluation. */
  private staleSeries: Labels[] = [];
  private timer: Timer | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private evalTs = 0;
  private iterations = 0;
  private readonly log: Logger;

  constructor(
    readonly spec: GroupSpec,
    /** The interval in effect: the group's own, or the global evaluation interval. */
    readonly intervalMs: number,
    private readonly deps: GroupDeps,
    /** Whether to restore the alerts' `for` state from ALERTS_FOR_STATE after the second evaluation. */
    private shouldRestore: boolean,
  ) {
    this.key = groupKey(spec.file, spec.name);
    this.rules = spec.rules.map((r) =>
      r.kind === 'recording' ? new RecordingRule(r) : new AlertingRule(r, !shouldRestore),
    );
    this.previous = this.rules.map(() => new Map());
    this.log = deps.logger.child({ file: spec.file, group: spec.name });
    const m = deps.metrics;
    const l = { rule_group: this.key };
    m.interval.set(l, intervalMs / 1000);
    m.rules.set(l, this.rules.length);
    for (const c of [m.evalTotal, m.evalFailures, m.iterationsMissed, m.iterationsScheduled]) c.inc(l, 0);
  }

  /** Whether `other` declares the same group (then a reload keeps this one running as it is). */
  equals(other: Group): boolean {
    return (
      this.intervalMs === other.intervalMs &&
      JSON.stringify(describeSpec(this.spec)) === JSON.stringify(describeSpec(other.spec))
    );
  }

  /** Schedules evaluations, the first at the group's next evaluation time. */
  start(): void {
    if (this.stopped || this.timer !== undefined) return;
    const now = this.deps.clock.now();
    this.evalTs = evalTimestamp(this.spec.file, this.spec.name, this.intervalMs, now) + this.intervalMs;
    this.timer = this.deps.clock.setTimer(() => this.tick(), this.evalTs - now);
  }

  /** Stops scheduling and waits for an evaluation in progress. Idempotent. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = undefined;
    await this.running;
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    if (this.iterations > 0) {
      const missed = Math.floor((this.deps.clock.now() - this.evalTs) / this.intervalMs) - 1;
      if (missed > 0) {
        this.deps.metrics.iterationsMissed.inc({ rule_group: this.key }, missed);
        this.deps.metrics.iterationsScheduled.inc({ rule_group: this.key }, missed);
      }
      this.evalTs += (Math.max(missed, 0) + 1) * this.intervalMs;
    }
    const work = this.iterate(this.evalTs).catch((err: unknown) => {
      // Evaluation records its failures on the rules; this is a bug, and must not end the schedule.
      this.log.error('rule group iteration failed', { err: (err as Error)?.message ?? String(err) });
    });
    this.running = work;
    await work;
    this.running = undefined;
    if (this.stopped) return;
    const delay = this.evalTs + this.intervalMs - this.deps.clock.now();
    this.timer = this.deps.clock.setTimer(() => this.tick(), delay);
  }

  /** One scheduled iteration at `tsMs`: evaluation, metrics, and the state restoration after the second. */
  async iterate(tsMs: number): Promise<void> {
    const l = { rule_group: this.key };
    this.deps.metrics.iterationsScheduled.inc(l);
    const wallStart = this.deps.clock.now();
    const began = performance.now();
    await this.eval(tsMs);
    const took = performance.now() - began;
    this.deps.metrics.groupDuration.observe(took / 1000);
    this.deps.metrics.lastDuration.set(l, took / 1000);
    this.deps.metrics.lastEvalTimestamp.set(l, tsMs / 1000);
    this.evaluationTimeMs = took;
    this.lastEvaluationMs = wallStart;
    this.lastEvalTimestampMs = tsMs;
    this.iterations++;
    if (this.shouldRestore && this.iterations >= 2) {
      // The first evaluation may run before enough was scraped (or recorded) for the alerts to be right.
      this.shouldRestore = false;
      const t0 = performance.now();
      await this.restore(this.deps.clock.now());
      this.deps.metrics.lastRestoreDuration.set(l, (performance.now() - t0) / 1000);
    }
  }

  /** Restores the alerts' `for` state as of `nowMs` from ALERTS_FOR_STATE (see restore.ts). */
  async restore(nowMs: number): Promise<void> {
    restoreForState(this.rules, this.deps, nowMs, this.log);
  }

  /** Evaluates every rule at `tsMs`. Never throws: failures are recorded on the rules, counted and logged. */
  async eval(tsMs: number): Promise<void> {
    const l = { rule_group: this.key };
    const m = this.deps.metrics;
    const ctx: RuleEvalContext = {
      query: this.deps.query,
      queryOffsetMs: this.spec.queryOffsetMs,
      limit: this.spec.limit,
      externalLabels: this.deps.externalLabels,
      externalUrl: this.deps.externalUrl,
      logger: this.log,
    };
    let samplesTotal = 0;
    for (let i = 0; i < this.rules.length; i++) {
      const rule = this.rules[i] as Rule;
      const began = performance.now();
      rule.lastEvaluationMs = this.deps.clock.now();
      m.evalTotal.inc(l);
      try {
        let vector: Awaited<ReturnType<Rule['eval']>>;
        try {
          vector = await rule.eval(tsMs, ctx);
        } catch (err) {
          rule.health = 'err';
          rule.lastError = err as Error;
          m.evalFailures.inc(l);
          if (!(err instanceof QueryCanceledError)) {
            this.log.warn('evaluating rule failed', { rule: rule.spec.name, err: (err as Error).message });
          }
          continue;
        }
        rule.health = 'ok';
        rule.lastError = undefined;
        samplesTotal += vector.length;
        if (rule instanceof AlertingRule) {
          this.deps.notify(rule.spec.query, rule.alertsToSend(tsMs, this.deps.resendDelayMs, this.intervalMs));
        }
        await this.append(i, rule, vector, tsMs - this.spec.queryOffsetMs);
      } finally {
        rule.evaluationTimeMs = performance.now() - began;
        m.evalDuration.observe(rule.evaluationTimeMs / 1000);
      }
    }
    m.lastEvalSamples.set(l, samplesTotal);
    if (this.staleSeries.length > 0) {
      await appendStaleMarkers(this.deps.appendable, this.staleSeries, tsMs, this.log);
      this.staleSeries = [];
    }
  }

  /** Appends a rule's samples and stale markers for the series it no longer returns, in one commit. */
  private async append(i: number, rule: Rule, vector: readonly RuleSample[], staleT: number): Promise<void> {
    const r = await appendRuleResult(
      this.deps.appendable,
      vector,
      this.previous[i] as Map<string, Labels>,
      staleT,
      this.log,
    );
    if (r.sampleError !== undefined) {
      rule.health = 'err';
      rule.lastError = r.sampleError;
    }
    if (r.commitError !== undefined) {
      rule.health = 'err';
      rule.lastError = r.commitError;
      this.deps.metrics.evalFailures.inc({ rule_group: this.key });
      this.log.warn('rule sample appending failed', { rule: rule.spec.name, err: r.commitError.message });
      return;
    }
    this.previous[i] = r.returned;
  }

  /** Writes stale markers at `tsMs` for every series of the latest evaluation (for a group a reload removed). */
  async markAllStale(tsMs: number): Promise<void> {
    const all = this.previous.flatMap((m) => [...m.values()]);
    this.previous = this.rules.map(() => new Map());
    await appendStaleMarkers(this.deps.appendable, all, tsMs, this.log);
  }

  /**
   * Takes over the state of the group this one replaces on a reload: for each rule of the same name and labels
   * (in order, for duplicates), the series it wrote and its alerts; series of rules that went away are marked
   * stale at the next evaluation.
   */
  copyState(from: Group): void {
    this.evaluationTimeMs = from.evaluationTimeMs;
    this.lastEvaluationMs = from.lastEvaluationMs;
    this.lastEvalTimestampMs = from.lastEvalTimestampMs;
    const byIdentity = new Map<string, number[]>();
    from.rules.forEach((r, fi) => {
      const id = r.identity();
      byIdentity.set(id, [...(byIdentity.get(id) ?? []), fi]);
    });
    this.rules.forEach((to, ti) => {
      const indexes = byIdentity.get(to.identity());
      if (indexes === undefined || indexes.length === 0) return;
      const fi = indexes.shift() as number;
      this.previous[ti] = from.previous[fi] as Map<string, Labels>;
      const old = from.rules[fi];
      if (to instanceof AlertingRule && old instanceof AlertingRule) {
        for (const [k, a] of old.active) to.active.set(k, a);
      }
    });
    this.staleSeries = [...from.staleSeries];
    for (const indexes of byIdentity.values()) {
      for (const fi of indexes) this.staleSeries.push(...(from.previous[fi] as Map<string, Labels>).values());
    }
  }
}

function describeSpec(g: GroupSpec): unknown {
  return {
    file: g.file,
    name: g.name,
    limit: g.limit,
    queryOffsetMs: g.queryOffsetMs,
    rules: g.rules.map((r) => ({
      kind: r.kind,
      name: r.name,
      query: r.query,
      forMs: r.forMs,
      keepFiringForMs: r.keepFiringForMs,
      labels: r.labels.toString(),
      annotations: r.annotations,
    })),
  };
}
