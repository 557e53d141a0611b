/**
 * An alerting rule: each label set its expression returns is an alert, pending until it has been active for
 * `for`, then firing; an alert that stops being returned is resolved (after `keep_firing_for`) and kept for
 * 15 minutes so its resolution reaches the notifier. Each evaluation writes `ALERTS` and `ALERTS_FOR_STATE`.
 */
import { type Labels, LabelsBuilder, metricNameLabel } from '../model/index.ts';
import { type Alert, type AlertState, needsSending, stateRank } from './alert.ts';
import { DuplicateLabelsetError, RuleLimitError } from './errors.ts';
import { type RuleEvalContext, type RuleSample, RuleStatus } from './rule.ts';
import type { RuleSpec } from './spec.ts';
import { AlertTemplates } from './templates.ts';

/** How long a resolved alert is kept (and resent) after it resolved. */
export const resolvedRetentionMs = 15 * 60_000;

export const alertsMetric = 'ALERTS';
export const alertsForStateMetric = 'ALERTS_FOR_STATE';
const alertNameLabel = 'alertname';
const alertStateLabel = 'alertstate';

/** Template expansions for one series at one value. */
interface Expansion {
  readonly value: number;
  readonly labels: Labels;
  readonly annotations: Labels;
}

/** Series expanded between two yields to the event loop. */
const yieldEvery = 500;

function newAlert(labels: Labels, annotations: Labels, value: number, tsMs: number): Alert {
  return {
    state: 'pending',
    labels,
    annotations,
    value,
    activeAtMs: tsMs,
    firedAtMs: undefined,
    resolvedAtMs: undefined,
    lastSentAtMs: undefined,
    validUntilMs: undefined,
    keepFiringSinceMs: undefined,
  };
}

export class AlertingRule extends RuleStatus {
  readonly kind = 'alerting';
  /** Alerts by the key of their labels; inactive ones stay until the retention ends. */
  readonly active = new Map<string, Alert>();
  /**
   * Whether the `for` state was restored (or needs no restoring). Until then the rule writes no ALERTS series,
   * so a restart does not overwrite the state it is about to read.
   */
  restored: boolean;
  /** The context of the evaluation in progress, for the templates' `query`. */
  private templateContext: RuleEvalContext | undefined;
  /** Each alert's series labels (see seriesOf). */
  private readonly series = new WeakMap<Alert, { state: AlertState; alerts: Labels; forState: Labels }>();
  /** The rule's label and annotation templates, parsed once. */
  private readonly templates: AlertTemplates;
  /** Whether an expansion depends only on the series' labels and value (no template runs a query). */
  private readonly cacheable: boolean;
  /** The previous evaluation's expansions by series key, and the external URL and labels they used. */
  private expanded = new Map<string, Expansion>();
  private expandedFor: string | undefined;
  private expandedLabels: Readonly<Record<string, string>> | undefined;

  constructor(spec: RuleSpec, restored: boolean) {
    super(spec);
    this.restored = restored;
    const texts = spec.annotations.map(([, text]) => text);
    for (let i = 0; i < spec.labels.size; i++) texts.push(spec.labels.value(i));
    this.cacheable = texts.every((t) => !t.includes('query'));
    this.templates = new AlertTemplates(spec.name, async (q, t) => {
      const ctx = this.templateContext;
      if (ctx === undefined) return [];
      return (await ctx.query(q, t)).map((s) => ({ Labels: s.metric.toObject(), Value: s.f }));
    });
  }

  /** The greatest state among the alerts. */
  state(): AlertState {
    let s: AlertState = 'inactive';
    for (const a of this.active.values()) if (stateRank[a.state] > stateRank[s]) s = a.state;
    return s;
  }

  /** Alerts not resolved (pending or firing), as the API lists them. */
  activeAlerts(): Alert[] {
    return [...this.active.values()].filter((a) => a.resolvedAtMs === undefined);
  }

  /**
   * Evaluates at `tsMs` and advances every alert's state; returns the ALERTS and ALERTS_FOR_STATE samples.
   * Throws DuplicateLabelsetError, RuleLimitError (dropping every alert, as Prometheus does), or what the query threw.
   */
  async eval(tsMs: number, ctx: RuleEvalContext): Promise<RuleSample[]> {
    const at = tsMs - ctx.queryOffsetMs;
    const vector = await ctx.query(this.spec.query, at);
    this.templateContext = ctx;
    const fresh = new Map<string, Alert>();
    const reuse = this.cacheable && this.expandedFor === ctx.externalUrl && this.expandedLabels === ctx.externalLabels;
    const expanded = new Map<string, Expansion>();
    let sinceYield = 0;
    for (const s of vector) {
      const seriesKey = s.metric.key();
      const prev = reuse ? this.expanded.get(seriesKey) : undefined;
      if (prev !== undefined && Object.is(prev.value, s.f)) {
        // Same series, same value, templates that read nothing else: the same expansion as last time.
        expanded.set(seriesKey, prev);
        const key = prev.labels.key();
        if (fresh.has(key)) throw new DuplicateLabelsetError('alerting');
        fresh.set(key, newAlert(prev.labels, prev.annotations, s.f, tsMs));
        continue;
      }
      if (++sinceYield === yieldEvery) {
        // Let timers and I/O run between long runs of template expansion.
        sinceYield = 0;
        await new Promise((resolve) => setImmediate(resolve));
      }
      const data = {
        labels: s.metric.toObject(),
        externalLabels: { ...ctx.externalLabels },
        externalURL: ctx.externalUrl,
        value: s.f,
      };
      const onError = (err: Error) =>
        ctx.logger.warn('expanding alert template failed', { rule: this.spec.name, err: err.message });
      const expand = (text: string) => this.templates.expand(text, data, tsMs, onError);
      const lb = new LabelsBuilder(s.metric).del(metricNameLabel);
      for (let i = 0; i < this.spec.labels.size; i++) {
        lb.set(this.spec.labels.name(i), await expand(this.spec.labels.value(i)));
      }
      lb.set(alertNameLabel, this.spec.name);
      const ab = new LabelsBuilder();
      for (const [n, v] of this.spec.annotations) ab.set(n, await expand(v));
      const labels = lb.labels();
      const annotations = ab.labels();
      expanded.set(seriesKey, { value: s.f, labels, annotations });
      const key = labels.key();
      if (fresh.has(key)) throw new DuplicateLabelsetError('alerting');
      fresh.set(key, newAlert(labels, annotations, s.f, tsMs));
    }
    this.expanded = expanded;
    this.expandedFor = ctx.externalUrl;
    this.expandedLabels = ctx.externalLabels;

    for (const [key, a] of fresh) {
      const known = this.active.get(key);
      if (known !== undefined && known.state !== 'inactive') {
        known.value = a.value;
        known.annotations = a.annotations;
      } else this.active.set(key, a);
    }

    const out: RuleSample[] = [];
    let activeCount = 0;
    for (const [key, a] of this.active) {
      if (!fresh.has(key)) {
        let keepFiring = false;
        if (a.state === 'firing' && this.spec.keepFiringForMs > 0) {
          a.keepFiringSinceMs ??= tsMs;
          keepFiring = tsMs - a.keepFiringSinceMs < this.spec.keepFiringForMs;
        }
        if (a.state === 'pending' || (a.resolvedAtMs !== undefined && tsMs - a.resolvedAtMs > resolvedRetentionMs)) {
          this.active.delete(key);
        }
        if (a.state !== 'inactive' && !keepFiring) {
          a.state = 'inactive';
          a.resolvedAtMs = tsMs;
        }
        if (!keepFiring) continue;
      } else a.keepFiringSinceMs = undefined;
      activeCount++;
      if (a.state === 'pending' && tsMs - a.activeAtMs >= this.spec.forMs) {
        a.state = 'firing';
        a.firedAtMs = tsMs;
      }
      if (this.restored) {
        const series = this.seriesOf(a);
        out.push({ metric: series.alerts, t: at, f: 1 });
        out.push({ metric: series.forState, t: at, f: Math.trunc(a.activeAtMs / 1000) });
      }
    }
    if (ctx.limit > 0 && activeCount > ctx.limit) {
      this.active.clear();
      throw new RuleLimitError('alerting', ctx.limit, activeCount);
    }
    return out;
  }

  /**
   * The alert's `ALERTS` and `ALERTS_FOR_STATE` labels, built once per alert and state (labels are immutable, so
   * an evaluation of thousands of steady alerts allocates none).
   */
  private seriesOf(a: Alert): { state: AlertState; alerts: Labels; forState: Labels } {
    let c = this.series.get(a);
    if (c === undefined || c.state !== a.state) {
      c = {
        state: a.state,
        alerts: this.seriesLabels(a, alertsMetric, true),
        forState: c?.forState ?? this.seriesLabels(a, alertsForStateMetric, false),
      };
      this.series.set(a, c);
    }
    return c;
  }

  /** The labels of an alert's `ALERTS` (with `alertstate`) or `ALERTS_FOR_STATE` series. */
  seriesLabels(a: Alert, metric: string, withState: boolean): Labels {
    const b = new LabelsBuilder(this.spec.labels);
    a.labels.forEach((n, v) => {
      b.set(n, v);
    });
    b.set(metricNameLabel, metric).set(alertNameLabel, this.spec.name);
    if (withState) b.set(alertStateLabel, a.state);
    return b.labels();
  }

  /**
   * The alerts to notify at `tsMs` (firing ones not sent for `resendDelayMs`, resolved ones not sent since they
   * resolved), marking them sent; a firing alert is valid for four times max(interval, resend delay).
   */
  alertsToSend(tsMs: number, resendDelayMs: number, intervalMs: number): Alert[] {
    const out: Alert[] = [];
    for (const a of this.active.values()) {
      if (!needsSending(a, tsMs, resendDelayMs)) continue;
      a.lastSentAtMs = tsMs;
      a.validUntilMs = tsMs + 4 * Math.max(intervalMs, resendDelayMs);
      out.push({ ...a });
    }
    return out;
  }
}
