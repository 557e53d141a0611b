/**
 * Histogram functions over classic histograms (series with an `le` label): `histogram_quantile`,
 * `histogram_quantiles` and `histogram_fraction`. Buckets are grouped by their label set without `le`; each group
 * gives one sample, which drops the metric name. The native-histogram functions (`histogram_count`, `_sum`,
 * `_avg`, `_stddev`, `_stdvar`) ignore floats, and vigil has no native histograms, so they return nothing.
 */
import type { Labels } from '../../../model/index.ts';
import { LabelsBuilder } from '../../../model/index.ts';
import { formatFloatV, goParseFloat } from '../../parser/go-numbers.ts';
import type { Call, Expr } from '../../parser/index.ts';
import { goQuote } from '../../parser/index.ts';
import type { EvalContext, FunctionImpl, InstantArg, InstantFunction } from '../function-types.ts';
import type { Vector } from '../value.ts';
import { type Bucket, bucketFraction, bucketQuantile } from './bucket-quantile.ts';
import { annotate, scalarArg, stringArg, vectorArg, withoutName } from './shared.ts';

/** One classic histogram at one step: its labels without `le`, and its buckets. */
interface BucketGroup {
  metric: Labels;
  buckets: Bucket[];
}

/** What a bucket series contributes, cached per label set: its group's key and labels, and its bound. */
interface BucketSeries {
  groupKey: string;
  group: Labels;
  upperBound: number;
  /** The `le` value when it does not parse. */
  badLe?: string;
}

function bucketSeries(metric: Labels, ctx: EvalContext): BucketSeries {
  const key = `b${metric.key()}`;
  const cached = ctx.cache.get(key) as BucketSeries | undefined;
  if (cached !== undefined) return cached;
  const le = metric.get('le');
  const parsed = goParseFloat(le);
  const group = metric.without('le');
  const series: BucketSeries = { groupKey: group.key(), group, upperBound: parsed.value };
  if (parsed.error !== undefined) series.badLe = le;
  ctx.cache.set(key, series);
  return series;
}

/**
 * Groups the buckets of `vec`, in first-seen order. A bucket whose `le` is missing or malformed is skipped with
 * upstream's warning, positioned at `where`.
 */
function groupBuckets(vec: Vector, where: Expr | null, ctx: EvalContext): BucketGroup[] {
  const groups = new Map<string, BucketGroup>();
  for (const s of vec) {
    const b = bucketSeries(s.metric, ctx);
    if (b.badLe !== undefined) {
      const name = s.metric.metricName();
      const forName = name === '' ? '' : ` for metric name ${goQuote(name)}`;
      annotate(
        ctx,
        'warn',
        `bucket label "le" is missing or has a malformed value of ${goQuote(b.badLe)}${forName}`,
        where,
      );
      continue;
    }
    let g = groups.get(b.groupKey);
    if (g === undefined) {
      g = { metric: b.group, buckets: [] };
      groups.set(b.groupKey, g);
    }
    g.buckets.push({ upperBound: b.upperBound, count: s.f });
  }
  return [...groups.values()];
}

/** Warns (at `where`) about a quantile outside [0, 1] or NaN. */
function checkQuantile(q: number, where: Expr | null, ctx: EvalContext): void {
  if (Number.isNaN(q) || q < 0 || q > 1) {
    annotate(ctx, 'warn', `quantile value should be between 0 and 1, got ${formatFloatV(q)}`, where);
  }
}

/** The quantile of one group, noting (at `where`) buckets that had to be made monotonic. */
function groupQuantile(q: number, g: BucketGroup, where: Expr | null, ctx: EvalContext): number {
  const { value, forcedMonotonic } = bucketQuantile(q, g.buckets);
  if (forcedMonotonic) {
    const name = ctx.delayedNameRemoval ? g.metric.metricName() : '';
    annotate(
      ctx,
      'info',
      'input to histogram_quantile needed to be fixed for monotonicity (see ' +
        `https://prometheus.io/docs/prometheus/latest/querying/functions/#histogram_quantile)` +
        (name === '' ? '' : ` for metric name ${goQuote(name)}`),
      where,
    );
  }
  return value;
}

function argAt(call: Call, i: number): Expr | null {
  return call.args[i] ?? null;
}

/** `histogram_quantile(q, buckets)`. */
const histogramQuantile: InstantFunction = (args, call, ctx) => {
  const q = scalarArg(args, 0);
  checkQuantile(q, argAt(call, 0), ctx);
  const groups = groupBuckets(vectorArg(args, 1), argAt(call, 1), ctx);
  return groups.map((g) => withoutName(g.metric, groupQuantile(q, g, argAt(call, 1), ctx), ctx));
};

/**
 * Go's `labels.FormatOpenMetricsFloat`: shortest `%g`, with `.0` added to integers, as the quantile label value
 * of `histogram_quantiles`.
 */
export function formatOpenMetricsFloat(f: number): string {
  if (f === 0) return '0.0';
  const s = formatFloatV(f);
  if (Number.isNaN(f) || !Number.isFinite(f) || /[e.]/.test(s)) return s;
  return `${s}.0`;
}

/** `histogram_quantiles(buckets, label, q…)`: one sample per quantile and group, labelled with the quantile. */
const histogramQuantiles: InstantFunction = (args, call, ctx) => {
  const label = stringArg(args, 1);
  const qs: number[] = [];
  for (let i = 2; i < args.length; i++) {
    const q = scalarArg(args, i);
    checkQuantile(q, argAt(call, i), ctx);
    qs.push(q);
  }
  const groups = groupBuckets(vectorArg(args, 0), argAt(call, 0), ctx);
  const out: Vector = [];
  for (const q of qs) {
    const value = formatOpenMetricsFloat(q);
    for (const g of groups) {
      const metric = new LabelsBuilder(g.metric).set(label, value).labels();
      out.push(withoutName(metric, groupQuantile(q, g, argAt(call, 0), ctx), ctx));
    }
  }
  return out;
};

/** `histogram_fraction(lower, upper, buckets)`. */
const histogramFraction: InstantFunction = (args, call, ctx) => {
  const lower = scalarArg(args, 0);
  const upper = scalarArg(args, 1);
  const groups = groupBuckets(vectorArg(args, 2), argAt(call, 2), ctx);
  return groups.map((g) => withoutName(g.metric, bucketFraction(lower, upper, g.buckets), ctx));
};

/** Native-histogram functions: nothing from float samples. */
const noFloats: InstantFunction = (_args: readonly InstantArg[]) => [];

/** The histogram functions, keyed by PromQL name. */
export const histogramFunctions = {
  histogram_quantile: { kind: 'instant', fn: histogramQuantile },
  histogram_quantiles: { kind: 'instant', fn: histogramQuantiles },
  histogram_fraction: { kind: 'instant', fn: histogramFraction },
  histogram_count: { kind: 'instant', fn: noFloats },
  histogram_sum: { kind: 'instant', fn: noFloats },
  histogram_avg: { kind: 'instant', fn: noFloats },
  histogram_stddev: { kind: 'instant', fn: noFloats },
  histogram_stdvar: { kind: 'instant', fn: noFloats },
} satisfies Record<string, FunctionImpl>;
