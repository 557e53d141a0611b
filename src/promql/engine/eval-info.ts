/**
 * `info(v, {selector})` (experimental, upstream's `promql/info.go`): adds to each series of `v` the data labels of
 * the info series that share its identifying labels (`instance`, `job`, those of them it has). Info series are
 * read at the time the base expression reads its samples (its `@` and `offset`, through subqueries), with the
 * lookback delta; of two info series of one metric joining the same base series, the one with the newer sample
 * wins. Labels the base series has are kept; two info metrics giving one label different values is an error.
 */
import { type Labels, LabelsBuilder, metricNameLabel } from '../../model/index.ts';
import type { Call, Expr } from '../parser/index.ts';
import { QueryExecutionError } from './errors.ts';
import { fetchInfoSeries, type InfoSelector, identifyingLabels, infoSelector, isInfoName } from './eval-info-series.ts';
import { infoRefTime, infoTimeShift } from './eval-info-time.ts';
import { countPoints, type Evaluator } from './evaluator.ts';
import type { Matrix, Series } from './value.ts';

/**
 * Evaluates an `info()` call at the evaluator's steps. A base series that is an info series itself (its name
 * satisfies the selector's `__name__` matchers) passes through unchanged; one that joins no info series at a step
 * passes through unenriched there when every data-label matcher accepts the empty string, and is dropped there
 * otherwise. The `dropName` flag of base series is kept.
 */
export function evalInfo(ev: Evaluator, e: Call): Matrix {
  const baseExpr = e.args[0] as Expr;
  const sel = infoSelector(e.args[1]);
  const base = ev.eval(baseExpr);
  const ignored = base.map((s) => isInfoName(sel, s.metric.metricName()));
  const shift = infoTimeShift(baseExpr);
  const info = fetchInfoSeries(ev, sel, base, ignored, shift);

  const names = [...new Set(info.map((s) => s.metric.metricName()))].sort();
  const infoSigs = info.map((s) => signature(s.metric.metricName(), s.metric));
  const baseSigs = base.map((s, i) => (ignored[i] ? [] : names.map((n) => signature(n, s.metric))));
  const enricher = new Enricher(sel, base, info);
  const basePos = new Int32Array(base.length);
  const infoPos = new Int32Array(info.length);
  const bySig = new Map<string, number>();
  const matched: number[] = [];
  const out = new InfoOutput();
  let held = 0;
  for (let t = ev.startMs; t <= ev.endMs; t += ev.intervalMs) {
    ev.ctx.check();
    const ref = infoRefTime(shift, t);
    bySig.clear();
    for (let k = 0; k < info.length; k++) {
      const is = info[k] as Series;
      const p = pointAt(is, infoPos, k, ref);
      if (p < 0) continue;
      const sig = infoSigs[k] as string;
      const other = bySig.get(sig);
      if (other === undefined) {
        bySig.set(sig, k);
        continue;
      }
      const os = info[other] as Series;
      const ot = os.fs[infoPos[other] as number] as number;
      const kt = is.fs[p] as number;
      if (kt > ot) bySig.set(sig, k);
      else if (kt === ot) {
        throw new QueryExecutionError(
          `found duplicate series for info metric: existing ${os.metric.toString()} @ ${Math.round(ot * 1000)}, new ${is.metric.toString()} @ ${Math.round(kt * 1000)}`,
        );
      }
    }
    for (let i = 0; i < base.length; i++) {
      const bs = base[i] as Series;
      const p = pointAt(bs, basePos, i, t);
      if (p < 0) continue;
      const f = bs.fs[p] as number;
      if (ignored[i]) {
        out.add(bs.metric, bs.dropName, t, f);
        continue;
      }
      matched.length = 0;
      for (const sig of baseSigs[i] as string[]) {
        const k = bySig.get(sig);
        if (k !== undefined) matched.push(k);
      }
      if (matched.length === 0 && !sel.dataMatchersAcceptEmpty) continue;
      out.add(enricher.labels(i, matched), bs.dropName, t, f);
    }
    ev.ctx.hold(out.points - held);
    held = out.points;
  }
  ev.ctx.release(countPoints(base) + countPoints(info));
  return out.series;
}

/** The key joining a base series with the info series of metric `name`: the identifying labels it has. */
function signature(name: string, l: Labels): string {
  return JSON.stringify([name, ...identifyingLabels.map((n) => l.get(n))]);
}

/** The index of the point of `s` at time `t`, or -1; `pos[k]` is a cursor only moving forward. */
function pointAt(s: Series, pos: Int32Array, k: number, t: number): number {
  let p = pos[k] as number;
  while (p < s.ts.length && (s.ts[p] as number) < t) p++;
  pos[k] = p;
  return p < s.ts.length && s.ts[p] === t ? p : -1;
}

/** Builds the labels of enriched base series, reusing the last result per base series while its join is unchanged. */
class Enricher {
  private readonly dataNames: ReadonlySet<string>;
  private readonly lastKey: string[];
  private readonly lastLabels: Labels[];

  constructor(
    sel: InfoSelector,
    private readonly base: Matrix,
    private readonly info: Matrix,
  ) {
    this.dataNames = new Set(sel.dataMatchers.map((m) => m.name));
    this.lastKey = base.map(() => '');
    this.lastLabels = base.map((s) => s.metric);
  }

  /** The labels of base series `i` joined with info series `matched` (indexes into the info matrix). */
  labels(i: number, matched: readonly number[]): Labels {
    const key = matched.join(',');
    if (key === this.lastKey[i]) return this.lastLabels[i] as Labels;
    const metric = (this.base[i] as Series).metric;
    const added = new Map<string, string>();
    for (const k of matched) {
      (this.info[k] as Series).metric.forEach((name, value) => {
        if (name === metricNameLabel) return;
        if (this.dataNames.size > 0 && !this.dataNames.has(name)) return;
        const prev = added.get(name);
        if (prev !== undefined && prev !== value) throw new QueryExecutionError(`conflicting label: ${name}`);
        if (!metric.has(name)) added.set(name, value);
      });
    }
    let l = metric;
    if (added.size > 0) {
      const b = new LabelsBuilder(metric);
      for (const [name, value] of added) b.set(name, value);
      l = b.labels();
    }
    this.lastKey[i] = key;
    this.lastLabels[i] = l;
    return l;
  }
}

/** Gathers output samples into series, refusing two samples with the same labels at one step. */
class InfoOutput {
  readonly series: Matrix = [];
  /** Samples added so far. */
  points = 0;
  private readonly byLabels = new Map<Labels, Series>();
  private readonly byKey = new Map<string, Series>();

  add(metric: Labels, dropName: boolean, t: number, f: number): void {
    let s = this.byLabels.get(metric);
    if (s === undefined) {
      const key = metric.key();
      s = this.byKey.get(key);
      if (s === undefined) {
        s = { metric, ts: [], fs: [], dropName };
        this.byKey.set(key, s);
        this.series.push(s);
      }
      this.byLabels.set(metric, s);
    }
    const n = s.ts.length;
    if (n > 0 && s.ts[n - 1] === t) {
      throw new QueryExecutionError('vector cannot contain metrics with the same labelset');
    }
    s.ts.push(t);
    s.fs.push(f);
    this.points++;
  }
}
