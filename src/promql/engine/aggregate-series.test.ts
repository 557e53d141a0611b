import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Labels } from '../../model/index.ts';
import type { Queryable } from '../../storage/index.ts';
import { aggregate } from './aggregate.ts';
import { aggregateMatrix } from './aggregate-series.ts';
import { context, findAggregate } from './aggregate-testing.ts';
import { Annotations } from './annotations.ts';
import { QueryContext } from './eval-context.ts';
import { Evaluator } from './evaluator.ts';
import type { Matrix, Series, Vector } from './value.ts';

/** mulberry32: a small seeded generator, so a failing case can be replayed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const specials = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 0, 1.7e308, -1.7e308, 1e308];
const huge = [1.7e308, 1.5e308, -1.7e308, 9e307, 1e308, 5e-324, -1];

interface DataOptions {
  series: number;
  steps: number;
  /** Share of values drawn from `specials`. */
  special: number;
  /** Share of values drawn from `huge` (avg's overflow to the incremental mean). */
  huge: number;
  /** Share of steps a series misses. */
  gaps: number;
  /** Series carry `__name__` and a random `dropName` (delayed name removal), or no name and `dropName` false. */
  names: boolean;
  /** Some points sit off the step times or repeat a time (ignored by the per-step path). */
  offGrid: boolean;
}

const startMs = 1_000_000;
const intervalMs = 15_000;

/** A matrix in selector order: distinct label sets, points at step times with gaps, late starts, early ends. */
function makeMatrix(seed: number, o: DataOptions): Matrix {
  const rnd = random(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const value = (): number => {
    const r = rnd();
    if (r < o.special) return pick(specials);
    if (r < o.special + o.huge) return pick(huge);
    return rnd() < 0.5 ? Math.round(rnd() * 100) : (rnd() - 0.3) * 10 ** Math.floor(rnd() * 12 - 4);
  };
  const seen = new Set<string>();
  const out: Matrix = [];
  for (let i = 0; out.length < o.series && i < o.series * 4; i++) {
    const l: Record<string, string> = {};
    if (o.names) l.__name__ = pick(['a', 'b', 'c']);
    if (rnd() < 0.9) l.job = pick(['api', 'app', 'db', 'web']);
    l.instance = String(Math.floor(rnd() * o.series));
    if (rnd() < 0.5) l.mode = pick(['idle', 'user', 'system']);
    const metric = Labels.fromObject(l);
    if (seen.has(metric.key())) continue;
    seen.add(metric.key());
    const from = rnd() < 0.2 ? Math.floor(rnd() * o.steps) : 0;
    const to = rnd() < 0.2 ? from + Math.floor(rnd() * (o.steps - from)) : o.steps - 1;
    const ts: number[] = [];
    const fs: number[] = [];
    for (let k = from; k <= to; k++) {
      if (rnd() < o.gaps) continue;
      const t = startMs + k * intervalMs;
      if (o.offGrid && rnd() < 0.05) {
        ts.push(t - 1);
        fs.push(value());
      }
      ts.push(t);
      fs.push(value());
      if (o.offGrid && rnd() < 0.05) {
        ts.push(t);
        fs.push(value());
      }
    }
    out.push({ metric, ts, fs, dropName: o.names && rnd() < 0.3 });
  }
  return out.sort((a, b) => (a.metric.key() < b.metric.key() ? -1 : 1));
}

/** The per-step path, as evalAggregate falls back to it: `aggregate` at every step through `stepwise`. */
function perStep(query: string, input: Matrix, fromMs: number, toMs: number, step: number, delayed: boolean): Matrix {
  const settings = {
    query,
    lookbackDeltaMs: 300_000,
    maxSamples: Number.MAX_SAFE_INTEGER,
    defaultSubqueryStepMs: 60_000,
    delayedNameRemoval: delayed,
    deadline: Number.POSITIVE_INFINITY,
    signal: undefined,
    queryStartMs: fromMs,
    queryEndMs: toMs,
    queryStepMs: step,
  };
  const noStorage: Queryable = {
    querier: () => {
      throw new Error('no storage in this test');
    },
  };
  const ev = new Evaluator(new QueryContext(settings, noStorage, new Annotations(query)), fromMs, toMs, step);
  const e = findAggregate(query);
  const ctx = context(query);
  return ev.stepwise(['vector'], [input], [''], (args, t) => {
    ctx.ts = t;
    return aggregate(e, null, args[0] as Vector, ctx);
  });
}

/** Compares two matrices bit for bit: order, labels, times, values (Object.is: NaN, -0), dropName. */
function assertSame(got: Matrix, want: Matrix, what: string): void {
  assert.equal(got.length, want.length, `${what}: series count`);
  for (let i = 0; i < want.length; i++) {
    const g = got[i] as Series;
    const w = want[i] as Series;
    const name = `${what}: series ${i} ${w.metric.toString()}`;
    assert.equal(g.metric.key(), w.metric.key(), `${name}: labels`);
    assert.equal(g.dropName, w.dropName, `${name}: dropName`);
    assert.deepEqual(g.ts, w.ts, `${name}: times`);
    for (let j = 0; j < w.fs.length; j++) {
      if (!Object.is(g.fs[j], w.fs[j])) assert.fail(`${name}: at ${w.ts[j]} got ${g.fs[j]}, want ${w.fs[j]}`);
    }
  }
}

const ops = ['sum', 'avg', 'count', 'min', 'max', 'group', 'stddev', 'stdvar'];
const groupings = [
  '',
  'by ()',
  'by (job)',
  'by (job, mode)',
  'by (instance)',
  'by (instance, job, mode)',
  'by (__name__)',
  'by (__name__, job)',
  'by (nonexistent)',
  'without ()',
  'without (instance)',
  'without (__name__)',
  'without (job, __name__)',
  'without (instance, mode)',
];

const datasets: Array<[string, DataOptions]> = [
  ['plain', { series: 60, steps: 40, special: 0, huge: 0, gaps: 0.1, names: false, offGrid: false }],
  ['specials', { series: 60, steps: 40, special: 0.15, huge: 0.05, gaps: 0.2, names: false, offGrid: false }],
  ['overflow', { series: 40, steps: 30, special: 0.02, huge: 0.7, gaps: 0.1, names: false, offGrid: false }],
  ['names', { series: 80, steps: 40, special: 0.1, huge: 0.1, gaps: 0.3, names: true, offGrid: false }],
  ['sparse', { series: 120, steps: 60, special: 0.05, huge: 0.05, gaps: 0.8, names: true, offGrid: false }],
  ['off grid', { series: 40, steps: 30, special: 0.1, huge: 0.1, gaps: 0.2, names: true, offGrid: true }],
];

describe('aggregateMatrix equals the per-step aggregation bit for bit', () => {
  for (const [dataName, o] of datasets) {
    for (const seed of [1, 2, 3]) {
      it(`${dataName}, seed ${seed}`, () => {
        const input = makeMatrix(seed * 7919 + dataName.length, o);
        const rangeEnd = startMs + (o.steps - 1) * intervalMs;
        // Range, an instant in the middle, and a range with steps between the data's (none of its points).
        const windows: Array<[number, number, number]> = [
          [startMs, rangeEnd, intervalMs],
          [startMs + Math.floor(o.steps / 2) * intervalMs, startMs + Math.floor(o.steps / 2) * intervalMs, 1],
          [startMs + intervalMs, rangeEnd, 2 * intervalMs],
          [startMs + 1, rangeEnd, intervalMs],
        ];
        for (const op of ops) {
          for (const g of groupings) {
            const query = `${op} ${g} (x)`;
            const e = findAggregate(query);
            for (const [from, to, step] of windows) {
              const fast = aggregateMatrix(e, input, from, to, step);
              assert.ok(fast !== null, query);
              for (const delayed of [true, false]) {
                const want = perStep(query, input, from, to, step, delayed);
                assertSame(fast, want, `${query} over [${from}, ${to}] step ${step} delayed ${delayed}`);
              }
            }
          }
        }
      });
    }
  }

  it('covers the overflow to the incremental mean', () => {
    // avg of 1.7e308 and 1.7e308 overflows the direct sum: the incremental mean gives 1.7e308, not +Inf.
    const s = (instance: string, f: number): Series => ({
      metric: Labels.fromObject({ instance }),
      ts: [startMs],
      fs: [f],
      dropName: false,
    });
    const input = [s('0', 1.7e308), s('1', 1.7e308), s('2', -0)];
    const out = aggregateMatrix(findAggregate('avg(x)'), input, startMs, startMs, 1);
    const f = out?.[0]?.fs[0] as number;
    assert.ok(Math.abs(f / ((1.7e308 / 3) * 2) - 1) < 1e-15, `avg ${f}`);
    assertSame(out ?? [], perStep('avg(x)', input, startMs, startMs, 1, true), 'avg(x)');
  });

  it('orders series by first appearance and keeps the first step dropName', () => {
    const input: Matrix = [
      { metric: Labels.fromObject({ __name__: 'a', job: 'x' }), ts: [startMs + intervalMs], fs: [1], dropName: true },
      { metric: Labels.fromObject({ __name__: 'b', job: 'y' }), ts: [startMs + intervalMs], fs: [2], dropName: false },
      {
        metric: Labels.fromObject({ __name__: 'c', job: 'y' }),
        ts: [startMs, startMs + intervalMs],
        fs: [3, 4],
        dropName: false,
      },
      { metric: Labels.fromObject({ __name__: 'd', job: 'x' }), ts: [startMs + intervalMs], fs: [5], dropName: false },
    ];
    const out = aggregateMatrix(findAggregate('sum by (job) (x)'), input, startMs, startMs + intervalMs, intervalMs);
    assert.deepEqual(
      out?.map((s) => [s.metric.toString(), s.ts, s.fs, s.dropName]),
      [
        ['{job="y"}', [startMs, startMs + intervalMs], [3, 6], false],
        ['{job="x"}', [startMs + intervalMs], [6], true],
      ],
    );
  });

  it('declines the operators whose result depends on more than the samples in order', () => {
    for (const query of [
      'topk(2, x)',
      'bottomk(2, x)',
      'limitk(2, x)',
      'limit_ratio(0.5, x)',
      'quantile(0.5, x)',
      'count_values("v", x)',
    ]) {
      assert.equal(aggregateMatrix(findAggregate(query), [], startMs, startMs, 1), null, query);
    }
  });
});
