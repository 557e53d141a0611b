/**
 * `count_values` at one step (upstream's `aggregationCountValues`): how many series of each group have each
 * value, the value going into a label.
 */
import { type Labels, LabelsBuilder, metricNameLabel } from '../../model/index.ts';
import { goQuote, isValidUtf8 } from '../parser/index.ts';
import { groupingLabels } from './aggregate-grouping.ts';
import { QueryExecutionError } from './errors.ts';
import { formatGoFloat } from './go-float.ts';
import type { Vector } from './value.ts';

interface Count {
  readonly base: Labels;
  readonly value: string;
  n: number;
}

/**
 * Evaluates one `count_values` step by step. One per AggregateExpr: its grouping and value label are fixed.
 *
 * The output labels are the grouping applied to the series' labels with the value label set to the value:
 * with `by`, the value label is always kept (and replaces an input label of that name); with `without`, it is
 * dropped when listed or when it is `__name__`. Construction throws QueryExecutionError `invalid label name "…"`
 * (upstream's wording, Go-quoted) for an empty or non-UTF-8 value label.
 */
export class CountValuesAggregator {
  private readonly bases = new WeakMap<Labels, Labels>();
  private readonly names: readonly string[];
  private readonly keepsValue: boolean;

  constructor(
    private readonly valueLabel: string,
    grouping: readonly string[],
    private readonly without: boolean,
  ) {
    if (valueLabel === '' || !isValidUtf8(valueLabel)) {
      throw new QueryExecutionError(`invalid label name ${goQuote(valueLabel)}`);
    }
    // The grouping labels of a series, the value label left out; it is added back per value when kept.
    this.keepsValue = !without || !(grouping.includes(valueLabel) || valueLabel === metricNameLabel);
    this.names = without ? [...grouping, valueLabel] : grouping.filter((n) => n !== valueLabel);
  }

  /** Counts `input` by group and value into a new vector stamped `ts`, in order of first occurrence. */
  step(input: Vector, ts: number): Vector {
    const counts = new Map<string, Count>();
    for (const s of input) {
      let base = this.bases.get(s.metric);
      if (base === undefined) {
        base = groupingLabels(s.metric, this.names, this.without);
        this.bases.set(s.metric, base);
      }
      const value = this.keepsValue ? formatGoFloat(s.f) : '';
      // The value cannot hold a NUL, so everything before the last NUL is the base key: no two groups collide.
      const key = `${base.key()}\u0000${value}`;
      const c = counts.get(key);
      if (c === undefined) counts.set(key, { base, value, n: 1 });
      else c.n++;
    }
    const out: Vector = [];
    for (const c of counts.values()) {
      const metric = this.keepsValue ? new LabelsBuilder(c.base).set(this.valueLabel, c.value).labels() : c.base;
      out.push({ metric, t: ts, f: c.n, dropName: false });
    }
    return out;
  }
}
