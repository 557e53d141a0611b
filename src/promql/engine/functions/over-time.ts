/**
 * Aggregations over each series' window: `avg_over_time`, `sum_over_time`, `count_over_time`,
 * `present_over_time`, `last_over_time`, `first_over_time`, `stddev_over_time`, `stdvar_over_time`,
 * `quantile_over_time` and `mad_over_time`. Sums are compensated (Kahan) exactly as upstream, so results agree
 * to the last bit. An empty window gives no sample.
 */
import { formatFloatV } from '../../parser/go-numbers.ts';
import type { FunctionImpl, RangeFunction, RangeWindow } from '../function-types.ts';
import { KahanSum } from '../kahan.ts';
import { quantile } from './quantile.ts';
import { annotate } from './shared.ts';

const sum = new KahanSum();
const sum2 = new KahanSum();

function isInf(x: number): boolean {
  return x === Number.POSITIVE_INFINITY || x === Number.NEGATIVE_INFINITY;
}

/**
 * The mean, summed directly (Kahan) while the sum stays finite and incrementally once it would overflow — the
 * direct mean is usually the more accurate, the incremental one cannot overflow.
 */
const avgOverTime: RangeFunction = ({ fs, lo, hi }) => {
  if (hi <= lo) return null;
  sum.reset(fs[lo] as number);
  let count = 1;
  let incremental = false;
  for (let i = lo + 1; i < hi; i++) {
    const f = fs[i] as number;
    count = i - lo + 1;
    if (!incremental) {
      const prevSum = sum.sum;
      const prevC = sum.c;
      sum.add(f);
      if (!isInf(sum.sum)) continue;
      incremental = true;
      sum.reset(prevSum / (count - 1), prevC / (count - 1));
    }
    const q = (count - 1) / count;
    sum.reset(q * sum.sum, q * sum.c);
    sum.add(f / count);
  }
  if (incremental) return sum.sum + sum.c;
  return sum.sum / count + sum.c / count;
};

const sumOverTime: RangeFunction = ({ fs, lo, hi }) => {
  if (hi <= lo) return null;
  sum.reset();
  for (let i = lo; i < hi; i++) sum.add(fs[i] as number);
  return sum.value();
};

/** The population variance by Welford's method, mean and sum of squares both compensated. */
function variance({ fs, lo, hi }: RangeWindow): number | null {
  if (hi <= lo) return null;
  const mean = sum.reset();
  const aux = sum2.reset();
  let count = 0;
  for (let i = lo; i < hi; i++) {
    const f = fs[i] as number;
    count++;
    const delta = f - (mean.sum + mean.c);
    mean.add(delta / count);
    aux.add(delta * (f - (mean.sum + mean.c)));
  }
  return (aux.sum + aux.c) / count;
}

/** The window's values, copied for sorting. */
function values({ fs, lo, hi }: RangeWindow): Float64Array {
  const out = new Float64Array(hi - lo);
  for (let i = lo; i < hi; i++) out[i - lo] = fs[i] as number;
  return out;
}

/** `quantile_over_time(q, m)`: warns (at `q`) when q is outside [0, 1] or NaN. */
const quantileOverTime: RangeFunction = (w, params, call, ctx) => {
  if (w.hi <= w.lo) return null;
  const q = params[0] as number;
  if (Number.isNaN(q) || q < 0 || q > 1) {
    annotate(ctx, 'warn', `quantile value should be between 0 and 1, got ${formatFloatV(q)}`, call.args[0] ?? null);
  }
  return quantile(q, values(w));
};

/** `mad_over_time(m)`: the median of the absolute deviations from the median; NaN when any value is NaN. */
const madOverTime: RangeFunction = (w) => {
  if (w.hi <= w.lo) return null;
  const vs = values(w);
  if (vs.some(Number.isNaN)) return Number.NaN;
  const median = quantile(0.5, vs);
  for (let i = 0; i < vs.length; i++) vs[i] = Math.abs((vs[i] as number) - median);
  return quantile(0.5, vs);
};

/** The aggregations over time, keyed by PromQL name. */
export const overTimeFunctions = {
  avg_over_time: { kind: 'range', fn: avgOverTime },
  sum_over_time: { kind: 'range', fn: sumOverTime },
  count_over_time: { kind: 'range', fn: ({ lo, hi }) => (hi > lo ? hi - lo : null) },
  present_over_time: { kind: 'range', fn: ({ lo, hi }) => (hi > lo ? 1 : null) },
  last_over_time: { kind: 'range', fn: ({ fs, lo, hi }) => (hi > lo ? (fs[hi - 1] as number) : null), keepName: true },
  first_over_time: { kind: 'range', fn: ({ fs, lo, hi }) => (hi > lo ? (fs[lo] as number) : null), keepName: true },
  stddev_over_time: {
    kind: 'range',
    fn: (w) => {
      const v = variance(w);
      return v === null ? null : Math.sqrt(v);
    },
  },
  stdvar_over_time: { kind: 'range', fn: variance },
  quantile_over_time: { kind: 'range', fn: quantileOverTime },
  mad_over_time: { kind: 'range', fn: madOverTime },
} satisfies Record<string, FunctionImpl>;
