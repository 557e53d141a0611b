/**
 * Compares a query result with an eval's expectations exactly as upstream's `evalCmd.compareResult`: series
 * as a set keyed by label set (by position too under `expect ordered`), floats by `almostEqual`, range results
 * point by point on the step grid, and matrices required to be sorted by labels.
 */
import { compareLabels, isStaleNaN, type Labels } from '../../model/index.ts';
import { almostEqual as almostEqualFloats } from '../engine/almost.ts';
import type { QueryValue, Vector } from '../engine/value.ts';
import type { EvalCommand } from './commands.ts';
import { formatFloat, formatLabels } from './format.ts';
import type { SequenceValue } from './series-desc.ts';

/** Relative tolerance of float comparisons (upstream's `defaultEpsilon`). */
export const defaultEpsilon = 1e-6;

/**
 * Upstream's `almost.Equal`: both stale markers, or both other NaNs, or equal, or a relative difference below
 * `epsilon` (near zero: an absolute one below `epsilon × minNormal`). A stale marker never equals a plain NaN.
 */
export function almostEqual(a: number, b: number, epsilon = defaultEpsilon): boolean {
  if (isStaleNaN(a) || isStaleNaN(b)) return isStaleNaN(a) && isStaleNaN(b);
  return almostEqualFloats(a, b, epsilon);
}

/** Why `value` does not meet `cmd`'s expected result, or null when it does. */
export function compareResult(cmd: EvalCommand, value: QueryValue): string | null {
  switch (value.type) {
    case 'matrix':
      return compareMatrix(cmd, value.series);
    case 'vector':
      return compareVector(cmd, value.samples);
    case 'scalar':
      if (cmd.expectedScalar === null)
        return `expected vector or matrix result, but got scalar ${formatFloat(value.v)}`;
      if (!almostEqual(cmd.expectedScalar, value.v)) {
        return `expected scalar ${formatFloat(cmd.expectedScalar)} but got ${formatFloat(value.v)}`;
      }
      return null;
    case 'string':
      return cmd.expectedString === value.v
        ? null
        : `expected string ${JSON.stringify(cmd.expectedString)} but got ${JSON.stringify(value.v)}`;
  }
}

/** Upstream's `assertMatrixSorted`: series in `labels.Compare` order. */
export function matrixSortError(series: ReadonlyArray<{ readonly metric: Labels }>): string | null {
  for (let i = 0; i + 1 < series.length; i++) {
    const a = (series[i] as { readonly metric: Labels }).metric;
    const b = (series[i + 1] as { readonly metric: Labels }).metric;
    if (compareLabels(a, b) > 0) {
      return `matrix results should always be sorted by labels, but matrix is not sorted: series at index ${i + 1} with labels ${formatLabels(b)} sorts before series at index ${i} with labels ${formatLabels(a)}`;
    }
  }
  return null;
}

function compareMatrix(cmd: EvalCommand, series: Extract<QueryValue, { type: 'matrix' }>['series']): string | null {
  if (cmd.ordered) return 'expected ordered result, but query returned a matrix';
  if (cmd.expectedScalar !== null) return `expected scalar result, but got a matrix of ${series.length} series`;
  const unsorted = matrixSortError(series);
  if (unsorted !== null) return unsorted;
  const seen = new Set<string>();
  for (const s of series) {
    const key = s.metric.key();
    const exp = cmd.expected.get(key);
    const has = `${s.ts.length} float point${s.ts.length === 1 ? '' : 's'}`;
    if (exp === undefined) return `unexpected metric ${formatLabels(s.metric)} in result, has ${has}`;
    seen.add(key);
    const expected: Array<{ t: number; f: number }> = [];
    let histograms = 0;
    for (let i = 0; i < exp.values.length; i++) {
      const t = cmd.startMs + i * cmd.stepMs;
      if (t > cmd.endMs) {
        return `expected ${exp.values.length} points for ${formatLabels(exp.labels)}, but query time range cannot return this many points`;
      }
      const e = exp.values[i] as SequenceValue;
      if (e.kind === 'histogram') histograms++;
      else if (e.kind === 'float') expected.push({ t, f: e.value });
    }
    if (expected.length !== s.ts.length || histograms !== 0) {
      return `expected ${expected.length} float points and ${histograms} histogram points for ${formatLabels(exp.labels)}, but got ${has}`;
    }
    for (let i = 0; i < expected.length; i++) {
      const { t, f } = expected[i] as { t: number; f: number };
      const at = s.ts[i] as number;
      const af = s.fs[i] as number;
      if (t !== at) {
        return `expected float value at index ${i} for ${formatLabels(exp.labels)} to have timestamp ${t}, but it had timestamp ${at}`;
      }
      if (!almostEqual(af, f)) {
        return `expected float value at index ${i} (t=${at}) for ${formatLabels(exp.labels)} to be ${formatFloat(f)}, but got ${formatFloat(af)}`;
      }
    }
  }
  for (const [key, exp] of cmd.expected)
    if (!seen.has(key)) return `expected metric ${formatLabels(exp.labels)} not found`;
  return null;
}

function compareVector(cmd: EvalCommand, samples: Vector): string | null {
  if (cmd.expectedScalar !== null) return `expected scalar result, but got a vector of ${samples.length} samples`;
  const seen = new Set<string>();
  for (let pos = 0; pos < samples.length; pos++) {
    const v = samples[pos] as Vector[number];
    const key = v.metric.key();
    const exp = cmd.expected.get(key);
    if (exp === undefined)
      return `unexpected metric ${formatLabels(v.metric)} in result, has value ${formatFloat(v.f)}`;
    if (cmd.ordered && exp.pos !== pos + 1) {
      return `expected metric ${formatLabels(v.metric)} at position ${exp.pos} but was at ${pos + 1}`;
    }
    const e = exp.values[0];
    if (e === undefined) return `expected line for ${formatLabels(exp.labels)} has no value`;
    if (e.kind === 'histogram')
      return `expected histogram ${e.text} for ${formatLabels(v.metric)} but got float value ${v.f}`;
    const f = e.kind === 'float' ? e.value : 0;
    if (!almostEqual(f, v.f))
      return `expected ${formatFloat(f)} for ${formatLabels(v.metric)} but got ${formatFloat(v.f)}`;
    seen.add(key);
  }
  for (const [key, exp] of cmd.expected)
    if (!seen.has(key)) return `expected metric ${formatLabels(exp.labels)} not found`;
  return null;
}
