/** Label helpers the evaluator shares. */
import type { Labels } from '../../model/index.ts';

/** The labels that name a metric and go when the name goes: `__name__`, `__type__`, `__unit__`. */
const metadataLabels = ['__name__', '__type__', '__unit__'];

/** `l` without its metric name and metadata labels (the same object when it has none). */
export function dropMetricName(l: Labels): Labels {
  for (const n of metadataLabels) if (l.has(n)) return l.without(...metadataLabels);
  return l;
}
