/**
 * Which output group an input series of an aggregation falls into (upstream's `generateGroupingKey` and
 * `generateGroupingLabels`), memoised per series: the evaluator hands the same `Labels` object for a series at
 * every step, so a range query computes each series' group once, not once per step.
 */
import { Labels, metricNameLabel } from '../../model/index.ts';

/**
 * The labels that identify a series' group: with `without`, the series' labels minus `names` and minus
 * `__name__`; otherwise only the labels named in `names` (none for a bare `sum(x)`).
 */
export function groupingLabels(metric: Labels, names: readonly string[], without: boolean): Labels {
  if (without) return metric.without(...names, metricNameLabel);
  if (names.length === 0) return Labels.empty;
  return metric.keepOnly(...names);
}

/**
 * Maps series to groups of type `G`, one `G` per distinct grouping label set, made by `make` the first time that
 * set is seen and kept for the life of the Grouper (so a group's state can be reused from step to step).
 * Series are remembered weakly: a Grouper does not keep label sets alive.
 */
export class Grouper<G> {
  private readonly bySeries = new WeakMap<Labels, G>();
  private readonly byKey = new Map<string, G>();

  constructor(
    private readonly names: readonly string[],
    private readonly without: boolean,
    private readonly make: (labels: Labels) => G,
  ) {}

  /** The group of the series `metric`. */
  groupOf(metric: Labels): G {
    let g = this.bySeries.get(metric);
    if (g !== undefined) return g;
    const labels = groupingLabels(metric, this.names, this.without);
    const key = labels.key();
    g = this.byKey.get(key);
    if (g === undefined) {
      g = this.make(labels);
      this.byKey.set(key, g);
    }
    this.bySeries.set(metric, g);
    return g;
  }
}
