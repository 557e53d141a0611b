/**
 * Series descriptions, the `metric{label="value"} 1 2+3x4 _ stale` lines of `load` blocks and of expected
 * results: upstream's `ParseSeriesDesc` (the series-description mode of its lexer and grammar), reimplemented.
 * Native histograms (`{{…}}`) are recognised and counted, not parsed.
 */
import { Labels, metricNameLabel, staleNaN } from '../../model/index.ts';
import { goUnquote } from './go-text.ts';

/** One point of a sequence; `omitted` is `_` (no sample at that step). */
export type SequenceValue =
  | { readonly kind: 'float'; readonly value: number }
  | { readonly kind: 'omitted' }
  /** A native histogram, kept as written (`{{schema:1 sum:3}}`). */
  | { readonly kind: 'histogram'; readonly text: string };

export interface SeriesDesc {
  readonly labels: Labels;
  /** Point i belongs to time `start + i × interval` (or step). */
  readonly values: readonly SequenceValue[];
}

/** A malformed series description. The message has no position: callers add `file:line`. */
export class SeriesDescError extends Error {
  override readonly name = 'SeriesDescError';
}

const omitted: SequenceValue = { kind: 'omitted' };
const metricNameStart = /[a-zA-Z_:]/;
const metricNameRest = /[a-zA-Z0-9_:]/;
const labelNameStart = /[a-zA-Z_]/;
const labelNameRest = /[a-zA-Z0-9_]/;
const space = /[ \t]/;

const num = String.raw`(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|[Ii][Nn][Ff]|[Nn][Aa][Nn]`;
/** `[sign]a`, `[sign]a(+|-)b`, each optionally followed by `xN`. Hexadecimal is not allowed here (upstream). */
const floatItem = new RegExp(`^([+-]?)(${num})(?:([+-])(${num}))?(?:x(\\d+))?$`);
const histogramItem = /^\{\{[^}]*\}\}(?:([+-])\{\{[^}]*\}\})?(?:x(\d+))?$/;

/** Parses a whole series description. Throws SeriesDescError. */
export function parseSeriesDesc(text: string): SeriesDesc {
  const { labels, end } = parseMetric(text);
  const rest = text.slice(end);
  if (rest !== '' && !space.test(rest[0] as string)) {
    throw new SeriesDescError(`unexpected ${JSON.stringify(rest[0])} after the label set`);
  }
  const values: SequenceValue[] = [];
  for (const item of splitItems(rest)) values.push(...expandItem(item));
  return { labels, values };
}

/** The metric name and/or `{…}` label set at the start of `text`, and where it ends. */
export function parseMetric(text: string): { labels: Labels; end: number } {
  const pairs: Array<[string, string]> = [];
  let i = 0;
  if (metricNameStart.test(text[0] ?? '')) {
    while (i < text.length && metricNameRest.test(text[i] as string)) i++;
    pairs.push([metricNameLabel, text.slice(0, i)]);
  }
  if (text[i] === '{') {
    i = parseLabelItems(text, i + 1, pairs);
  } else if (i === 0) {
    throw new SeriesDescError('expected a metric name or a label set');
  }
  return { labels: Labels.fromPairs(pairs), end: i };
}

/** Parses `name="value", …}` from `i` (just after `{`); returns the index after `}`. */
function parseLabelItems(text: string, start: number, pairs: Array<[string, string]>): number {
  let i = skipSpaces(text, start);
  while (text[i] !== '}') {
    let name: string;
    const quoted = !labelNameStart.test(text[i] ?? '');
    if (!quoted) {
      const from = i;
      while (i < text.length && labelNameRest.test(text[i] as string)) i++;
      name = text.slice(from, i);
    } else {
      [name, i] = readString(text, i);
    }
    i = skipSpaces(text, i);
    if (text[i] === '=') {
      let value: string;
      [value, i] = readString(text, skipSpaces(text, i + 1));
      pairs.push([name, value]);
    } else if (quoted) {
      pairs.push([metricNameLabel, name]); // `{"metric.name", …}`: a quoted metric name
    } else {
      throw new SeriesDescError(`expected "=" after label name ${JSON.stringify(name)}`);
    }
    i = skipSpaces(text, i);
    if (text[i] === ',') i = skipSpaces(text, i + 1);
    else if (text[i] !== '}') throw new SeriesDescError('expected "," or "}" in the label set');
  }
  return i + 1;
}

function skipSpaces(text: string, i: number): number {
  while (i < text.length && space.test(text[i] as string)) i++;
  return i;
}

/** A quoted string at `i`; returns its value and the index after the closing quote. */
function readString(text: string, i: number): [string, number] {
  const q = text[i];
  if (q !== '"' && q !== "'" && q !== '`') throw new SeriesDescError(`expected a quoted string at column ${i + 1}`);
  let j = i + 1;
  while (j < text.length && text[j] !== q) j += q !== '`' && text[j] === '\\' ? 2 : 1;
  const value = j < text.length ? goUnquote(text.slice(i, j + 1)) : undefined;
  if (value === undefined) throw new SeriesDescError(`invalid string ${text.slice(i, j + 1)}`);
  return [value, j + 1];
}

/** Splits the value part on spaces, keeping `{{…}}` (which contains spaces) inside one item. */
function splitItems(text: string): string[] {
  const items: string[] = [];
  let i = 0;
  while (i < text.length) {
    if (space.test(text[i] as string)) {
      i++;
      continue;
    }
    const from = i;
    while (i < text.length && !space.test(text[i] as string)) {
      if (text.startsWith('{{', i)) {
        const close = text.indexOf('}}', i + 2);
        if (close < 0) throw new SeriesDescError('unterminated native histogram "{{"');
        i = close + 2;
      } else {
        i++;
      }
    }
    items.push(text.slice(from, i));
  }
  return items;
}

/** One item to its points: `_xN` gives N points, `axN` and `a+bxN` give N+1 (upstream's grammar). */
function expandItem(item: string): SequenceValue[] {
  if (item === '_') return [omitted];
  if (item === 'stale') return [{ kind: 'float', value: staleNaN }];
  const blanks = /^_x(\d+)$/.exec(item);
  if (blanks !== null) return new Array<SequenceValue>(count(blanks[1] as string)).fill(omitted);
  if (item.includes('{{')) {
    const h = histogramItem.exec(item);
    if (h === null || (h[1] !== undefined && h[2] === undefined)) {
      throw new SeriesDescError(`invalid native histogram item ${JSON.stringify(item)}`);
    }
    const n = h[2] === undefined ? 1 : count(h[2]) + 1;
    return new Array<SequenceValue>(n).fill({ kind: 'histogram', text: item });
  }
  const m = floatItem.exec(item);
  const last = m?.[4] ?? m?.[2] ?? '';
  if (m === null || (m[3] !== undefined && m[5] === undefined) || (/[a-zA-Z]$/.test(last) && m[5] !== undefined)) {
    throw new SeriesDescError(
      `invalid value ${JSON.stringify(item)}: expected a number, "_", "stale" or "{{…}}", optionally followed by "+b" or "-b" and "xN"`,
    );
  }
  let v = numberValue(m[2] as string) * (m[1] === '-' ? -1 : 1);
  if (m[5] === undefined) return [{ kind: 'float', value: v }];
  const step = m[3] === undefined ? 0 : numberValue(m[4] as string) * (m[3] === '-' ? -1 : 1);
  const out: SequenceValue[] = [];
  // Repeated addition, as upstream: `0.1+0.1x9` accumulates the same rounding errors.
  for (let i = 0, n = count(m[5]); i <= n; i++, v += step) out.push({ kind: 'float', value: v });
  return out;
}

function numberValue(s: string): number {
  const lower = s.toLowerCase();
  if (lower === 'inf') return Number.POSITIVE_INFINITY;
  if (lower === 'nan') return Number.NaN;
  return Number(s);
}

function count(digits: string): number {
  const n = Number(digits);
  if (!Number.isSafeInteger(n) || n > 1_000_000) throw new SeriesDescError(`repetition count ${digits} is too large`);
  return n;
}
