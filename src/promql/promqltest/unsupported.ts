/**
 * What vigil cannot load yet, and which evals that rules out. Storage is float-only and keeps no start
 * timestamps, so the runner records the label sets of the series it could not load faithfully:
 *
 * - native-histogram series: a `load` line with a `{{…}}` value (not loaded at all), and the series
 *   `load_with_nhcb` would add (`X_bucket{le=…}`, `X_count`, `X_sum` become one native histogram `X` with the
 *   other labels; the float series are still loaded);
 * - start-timestamp series: those given offsets by an `@st` line (their floats are loaded, the offsets not).
 *
 * An eval is skipped, with a reason, when its expected output has a `{{` ("native histograms") or when one of
 * its selectors matches a recorded series ("native histograms" or "start timestamps"). That covers the
 * native-histogram-only functions too: they only ever see native histograms through a selector.
 */
import { type Labels, LabelsBuilder, Matcher, metricNameLabel } from '../../model/index.ts';
import { children, type Expr, type VectorSelector } from '../parser/index.ts';
import type { EvalCommand, LoadCommand } from './commands.ts';
import { parseGoNumber } from './go-text.ts';

export const nativeHistogramsReason = 'native histograms';
export const startTimestampsReason = 'start timestamps';

const targetInfo = Matcher.create('=', metricNameLabel, 'target_info');

export class UnsupportedSeries {
  private nativeHistograms = new Map<string, Labels>();
  private startTimestamps = new Map<string, Labels>();

  /** Records what `cmd` loads that storage cannot hold. */
  recordLoad(cmd: LoadCommand): void {
    for (const s of cmd.series) {
      if (s.values.some((v) => v.kind === 'histogram')) this.nativeHistograms.set(s.labels.key(), s.labels);
      else if (s.startTimestamps) this.startTimestamps.set(s.labels.key(), s.labels);
      if (cmd.withNhcb && s.values.some((v) => v.kind === 'float')) {
        const nhcb = nhcbSeries(s.labels);
        if (nhcb !== null) this.nativeHistograms.set(nhcb.key(), nhcb);
      }
    }
  }

  /** `clear`: storage is empty again. */
  clear(): void {
    this.nativeHistograms = new Map();
    this.startTimestamps = new Map();
  }

  /** Why `cmd` (whose expression parsed to `expr`) cannot be run faithfully, or null when it can. */
  skipReason(cmd: EvalCommand, expr: Expr): string | null {
    if (cmd.expectsNativeHistograms) return nativeHistogramsReason;
    const selectors = selectorMatchers(expr);
    const hits = (series: ReadonlyMap<string, Labels>) =>
      selectors.some((ms) => [...series.values()].some((l) => ms.every((m) => m.matches(l.get(m.name)))));
    if (hits(this.nativeHistograms)) return nativeHistogramsReason;
    if (hits(this.startTimestamps)) return startTimestampsReason;
    return null;
  }
}

/** The native histogram with custom buckets upstream builds from a classic histogram series, or null. */
function nhcbSeries(labels: Labels): Labels | null {
  const name = labels.get(metricNameLabel);
  const suffix = /_(bucket|count|sum)$/.exec(name);
  if (suffix === null) return null;
  if (suffix[1] === 'bucket') {
    const le = parseGoNumber(labels.get('le'));
    if (!labels.has('le') || le === undefined || Number.isNaN(le)) return null;
  }
  return new LabelsBuilder(labels).set(metricNameLabel, name.slice(0, -suffix[0].length)).del('le').labels();
}

/**
 * The matchers of every selector in `expr`, matrix selectors included. `info(v, {…})` also selects info
 * series: `target_info` unless its selector names a metric.
 */
export function selectorMatchers(expr: Expr): Matcher[][] {
  const out: Matcher[][] = [];
  const visit = (e: Expr): void => {
    if (e.type === 'VectorSelector') out.push(e.labelMatchers);
    if (e.type === 'Call' && e.func.name === 'info') {
      const sel = e.args[1] as VectorSelector | undefined;
      const ms = sel?.labelMatchers ?? [];
      out.push(ms.some((m) => m.name === metricNameLabel) ? ms : [...ms, targetInfo]);
    }
    for (const c of children(e)) visit(c);
  };
  visit(expr);
  return out;
}
