/** Values in the test files' own notation, so failures read like the expectations they are compared with. */
import { isStaleNaN, type Labels, metricNameLabel } from '../../model/index.ts';
import type { QueryValue } from '../engine/value.ts';

/** `metric{a="b"}`, `{a="b"}` or `{}`. */
export function formatLabels(labels: Labels): string {
  const name = labels.get(metricNameLabel);
  const parts: string[] = [];
  labels.forEach((n, v) => {
    if (n !== metricNameLabel || !/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(v)) parts.push(`${n}=${JSON.stringify(v)}`);
  });
  const plainName = name !== '' && parts.length === labels.size - 1;
  return `${plainName ? name : ''}${parts.length > 0 || !plainName ? `{${parts.join(', ')}}` : ''}`;
}

/** `1.5`, `-Inf`, `NaN`, `stale`. */
export function formatFloat(v: number): string {
  if (isStaleNaN(v)) return 'stale';
  if (v === Number.POSITIVE_INFINITY) return 'Inf';
  if (v === Number.NEGATIVE_INFINITY) return '-Inf';
  return Object.is(v, -0) ? '-0' : String(v);
}

/**
 * A query result as expectation lines. Matrix points on the grid `startMs + k × stepMs` print as values with
 * `_` for gaps (so a range query's result reads like its expectation); other points print as `value@t`.
 */
export function formatValue(value: QueryValue, grid?: { startMs: number; stepMs: number }): string[] {
  switch (value.type) {
    case 'scalar':
      return [formatFloat(value.v)];
    case 'string':
      return [`expect string ${JSON.stringify(value.v)}`];
    case 'vector':
      return value.samples.map((s) => `${formatLabels(s.metric)} ${formatFloat(s.f)}`);
    case 'matrix':
      return value.series.map((s) => `${formatLabels(s.metric)} ${formatPoints(s.ts, s.fs, grid)}`);
  }
}

function formatPoints(
  ts: readonly number[],
  fs: readonly number[],
  grid?: { startMs: number; stepMs: number },
): string {
  const onGrid =
    grid !== undefined &&
    grid.stepMs > 0 &&
    ts.every((t) => t >= grid.startMs && (t - grid.startMs) % grid.stepMs === 0);
  if (!onGrid) return ts.map((t, i) => `${formatFloat(fs[i] as number)}@${t}`).join(' ');
  const out: string[] = [];
  let next = 0;
  for (let i = 0; i < ts.length; i++) {
    const k = ((ts[i] as number) - grid.startMs) / grid.stepMs;
    for (; next < k; next++) out.push('_');
    out.push(formatFloat(fs[i] as number));
    next = k + 1;
  }
  return out.join(' ');
}
