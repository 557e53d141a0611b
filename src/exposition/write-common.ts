/** What the two writers share: escaping, and checks of what a family may hold. */
import type { Labels } from '../model/index.ts';
import { isValidLabelName, isValidMetricName } from './bytes.ts';
import { ExpositionWriteError } from './errors.ts';
import { belongsToFamily, type SuffixTable } from './suffixes.ts';
import type { MetricFamily } from './types.ts';

const labelValueSpecial = /[\\"\n]/;
const helpSpecial = /[\\\n]/;
const helpSpecialQuote = /[\\"\n]/;

/** A label value escaped for either format: `\` → `\\`, `"` → `\"`, newline → `\n`. */
export function escapeLabelValue(v: string): string {
  if (!labelValueSpecial.test(v)) return v;
  return v.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));
}

/** HELP text escaped: `\` → `\\`, newline → `\n` and, with `quote` (OpenMetrics), `"` → `\"`. */
export function escapeHelp(v: string, quote: boolean): string {
  if (!(quote ? helpSpecialQuote : helpSpecial).test(v)) return v;
  return v.replace(quote ? /[\\"\n]/g : /[\\\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));
}

/** `{a="x",b="y"}` for a non-empty label set, '' for an empty one; labels in their sorted order. */
export function formatLabels(labels: Labels): string {
  if (labels.size === 0) return '';
  let s = '{';
  for (let i = 0; i < labels.size; i++) {
    if (i > 0) s += ',';
    s += `${labels.name(i)}="${escapeLabelValue(labels.value(i))}"`;
  }
  return `${s}}`;
}

/** The first problem of a label set for a writer, or null: an invalid name, or `__name__`. */
export function labelProblem(labels: Labels): string | null {
  for (let i = 0; i < labels.size; i++) {
    const name = labels.name(i);
    if (name === '__name__') return 'labels must not hold __name__ (the sample name carries it)';
    if (!isValidLabelName(name)) return `invalid label name ${JSON.stringify(name)}`;
  }
  return null;
}

/**
 * Checks what both formats require of a family: valid names, samples that belong to the family under `table`,
 * valid labels, integer timestamps. Returns the first problem as an error, or null.
 */
export function checkFamily(f: MetricFamily, table: SuffixTable): ExpositionWriteError | null {
  if (!isValidMetricName(f.name)) return new ExpositionWriteError(f.name, -1, 'invalid metric name');
  if (table[f.type] === undefined)
    return new ExpositionWriteError(f.name, -1, `invalid metric type ${JSON.stringify(f.type)}`);
  for (let i = 0; i < f.samples.length; i++) {
    const s = f.samples[i];
    if (s === undefined) continue;
    if (!isValidMetricName(s.name))
      return new ExpositionWriteError(f.name, i, `invalid metric name ${JSON.stringify(s.name)}`);
    if (!belongsToFamily(s.name, f.name, f.type, table)) {
      return new ExpositionWriteError(
        f.name,
        i,
        `sample ${JSON.stringify(s.name)} does not belong to a ${f.type} family named ${JSON.stringify(f.name)}`,
      );
    }
    const p = labelProblem(s.labels);
    if (p !== null) return new ExpositionWriteError(f.name, i, p);
    if (s.timestampMs !== undefined && !Number.isSafeInteger(s.timestampMs)) {
      return new ExpositionWriteError(f.name, i, `timestamp ${s.timestampMs} is not an integer number of milliseconds`);
    }
  }
  return null;
}
