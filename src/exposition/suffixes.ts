/** Which sample names belong to a family: the family name plus a suffix its type allows. */
import type { MetricType } from './types.ts';

/** A table of allowed suffixes by type; '' is the family name itself. */
export type SuffixTable = Readonly<Record<MetricType, readonly string[]>>;

/** OpenMetrics 1.0's rules: what the OpenMetrics encoder enforces. */
export const openMetricsSuffixes: SuffixTable = {
  counter: ['_total', '_created'],
  gauge: [''],
  histogram: ['_bucket', '_count', '_sum', '_created'],
  gaugehistogram: ['_bucket', '_gcount', '_gsum'],
  summary: ['', '_count', '_sum', '_created'],
  info: ['_info'],
  stateset: [''],
  unknown: [''],
};

/**
 * OpenMetrics' rules and text 0.0.4's conventions together (a 0.0.4 counter's samples carry the family name as it
 * is): what the parsers and the text 0.0.4 encoder use to tell which family a sample belongs to.
 */
export const anySuffixes: SuffixTable = { ...openMetricsSuffixes, counter: ['', '_total', '_created'] };

/** Whether a sample named `sample` belongs to family `family` of type `type` under `table`. */
export function belongsToFamily(sample: string, family: string, type: MetricType, table: SuffixTable): boolean {
  if (!sample.startsWith(family)) return false;
  const rest = sample.length === family.length ? '' : sample.slice(family.length);
  return table[type].includes(rest);
}

/** Whether the bytes `b[s, e)` name a sample of family `b[fs, fe)` of type `type` (under `anySuffixes`). */
export function bytesBelongToFamily(
  b: Uint8Array,
  s: number,
  e: number,
  fs: number,
  fe: number,
  type: MetricType,
): boolean {
  const fl = fe - fs;
  if (e - s < fl) return false;
  for (let i = 0; i < fl; i++) if (b[s + i] !== b[fs + i]) return false;
  const restLen = e - s - fl;
  for (const suffix of anySuffixes[type]) {
    if (suffix.length !== restLen) continue;
    let ok = true;
    for (let i = 0; i < restLen; i++) {
      if (b[s + fl + i] !== suffix.charCodeAt(i)) {
        ok = false;
        break;
      }
    }
    if (ok) return true;
  }
  return false;
}
