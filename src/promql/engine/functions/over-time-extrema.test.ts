import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Labels } from '../../../model/index.ts';
import { rng } from '../../../model/testing.ts';
import { Annotations } from '../annotations.ts';
import type { EvalContext, RangeWindow } from '../function-types.ts';
import { extremaFunctions } from './over-time-extrema.ts';

const ctx = (): EvalContext => ({
  ts: 0,
  queryStartMs: 0,
  queryEndMs: 0,
  annotations: new Annotations(''),
  delayedNameRemoval: false,
  cache: new Map(),
});

/** What upstream's scan gives: a NaN is replaced by any value, otherwise only a strictly better one wins. */
function scan(fs: Float64Array, lo: number, hi: number, max: boolean): number {
  let best = fs[lo] as number;
  for (let i = lo; i < hi; i++) {
    const f = fs[i] as number;
    if ((max ? f > best : f < best) || Number.isNaN(best)) best = f;
  }
  return best;
}

describe('max_over_time / min_over_time sliding windows', () => {
  it('equal the scan bit for bit over forward-moving windows, NaN and ±0 included', () => {
    const r = rng(3);
    const pick = [Number.NaN, 0, -0, 1, -1, 2, 2, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
    for (let round = 0; round < 200; round++) {
      const n = 1 + Math.floor(r() * 300);
      const fs = Float64Array.from({ length: n }, () =>
        r() < 0.5 ? (pick[Math.floor(r() * pick.length)] as number) : Math.floor(r() * 20) - 10,
      );
      const ts = Float64Array.from({ length: n }, (_, i) => i * 1000);
      for (const max of [true, false]) {
        const fn = extremaFunctions[max ? 'max_over_time' : 'min_over_time'].fn;
        const c = ctx();
        const metric = Labels.fromObject({ round: String(round) });
        let lo = 0;
        let hi = 0;
        while (hi < n) {
          hi = Math.min(n, hi + Math.floor(r() * 4));
          lo = Math.min(hi, lo + Math.floor(r() * 4));
          if (r() < 0.05) lo = hi;
          const w: RangeWindow = { metric, ts, fs, n, lo, hi, rangeStartMs: 0, rangeEndMs: 0 };
          const got = fn(w, [], null as never, c);
          if (hi <= lo) {
            assert.equal(got, null);
            if (hi === n) break;
            continue;
          }
          const want = scan(fs, lo, hi, max);
          assert.ok(Object.is(got, want), `round ${round} max=${max} [${lo}, ${hi}): ${got} vs ${want}`);
          if (hi === n && lo === hi) break;
          if (hi === n) lo++;
        }
      }
    }
  });

  it('starts over for another series or a window that moved back', () => {
    const fn = extremaFunctions.max_over_time.fn;
    const c = ctx();
    const ts = Float64Array.from([0, 1, 2, 3]);
    const a = Float64Array.from([5, 1, 2, 3]);
    const w = (metric: Labels, fs: Float64Array, lo: number, hi: number): RangeWindow => ({
      metric,
      ts,
      fs,
      n: fs.length,
      lo,
      hi,
      rangeStartMs: 0,
      rangeEndMs: 0,
    });
    const m1 = Labels.fromObject({ a: '1' });
    assert.equal(fn(w(m1, a, 0, 4), [], null as never, c), 5);
    assert.equal(fn(w(m1, a, 1, 4), [], null as never, c), 3);
    assert.equal(fn(w(m1, a, 0, 2), [], null as never, c), 5, 'moved back');
    assert.equal(fn(w(Labels.fromObject({ a: '2' }), Float64Array.from([1, 9, 0, 0]), 0, 4), [], null as never, c), 9);
  });
});
