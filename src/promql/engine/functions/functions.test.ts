import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { functions } from '../../parser/index.ts';
import type { Vector } from '../value.ts';
import { functionImpls } from './index.ts';
import { context, runInstant, sample } from './testing.ts';

const { NaN: nan, NEGATIVE_INFINITY: ninf } = Number;

/** `[labels, value]` pairs of a vector, labels in Prometheus notation. */
function rows(v: Vector): [string, number][] {
  return v.map((s) => [s.metric.toString(), s.f]);
}

/** Values of a one-function query on single samples with the given values. */
function values(query: string, xs: number[], extra: (number | string)[] = []): number[] {
  return runInstant(query, [xs.map((x, i) => sample({ i: String(i) }, x)), ...extra]).map((s) => s.f);
}

describe('the registry', () => {
  const evaluators = ['pi', 'time', 'scalar', 'start', 'end', 'range', 'step', 'min_of', 'max_of'];
  const syntactic = ['absent', 'absent_over_time', 'info', 'start_timestamp'];
  it('implements every parser function the evaluator does not compute itself, and nothing else', () => {
    const want = Object.keys(functions).filter((n) => !evaluators.includes(n) && !syntactic.includes(n));
    assert.deepEqual(Object.keys(functionImpls).sort(), want.sort());
  });

  it('gives range functions for matrix arguments and instant functions otherwise', () => {
    for (const [name, f] of Object.entries(functionImpls)) {
      const takesMatrix = functions[name]?.argTypes.includes('matrix');
      assert.equal(f.kind, takesMatrix ? 'range' : 'instant', name);
    }
  });
});

describe('math functions', () => {
  it('match Go to the last bit', () => {
    assert.deepEqual(values('exp(x)', [10, 20, -10]), [22026.465794806718, 485165195.4097903, 4.5399929762484854e-5]);
    assert.deepEqual(values('ln(x)', [10, 20, 0, -1]), [Math.LN10, 2.995732273553991, ninf, nan]);
    assert.deepEqual(values('log2(x)', [20, 8, 0]), [4.321928094887363, 3, ninf]);
    assert.deepEqual(values('log10(x)', [10, 20]), [1, 1.301029995663981]);
    assert.deepEqual(values('sqrt(x)', [10]), [3.1622776601683795]);
  });

  it('round ties up, to a multiple of to_nearest', () => {
    assert.deepEqual(values('round(x)', [1.5, -1.5, 2.5, nan]), [2, -1, 3, nan]);
    assert.deepEqual(values('round(x, 5)', [12.5, 7], [5]), [15, 5]);
    assert.deepEqual(values('round(x, 0.1)', [1.25], [0.1]), [1.3]);
  });

  it('sgn keeps zeros and NaN', () => {
    assert.deepEqual(values('sgn(x)', [-3, 4, nan, -0, 0]), [-1, 1, nan, -0, 0]);
  });

  it('clamp, clamp_min, clamp_max; an empty result when max < min', () => {
    assert.deepEqual(values('clamp(x, -25, 75)', [-50, 0, 100], [-25, 75]), [-25, 0, 75]);
    assert.deepEqual(values('clamp_max(x, 75)', [-50, 100], [75]), [-50, 75]);
    assert.deepEqual(values('clamp_min(x, -25)', [-50, 100], [-25]), [-25, 100]);
    assert.deepEqual(values('clamp(x, 5, -5)', [1], [5, -5]), []);
    assert.deepEqual(values('clamp(x, NaN, 1)', [0], [nan, 1]), [nan]);
  });

  it('deg and rad', () => {
    assert.deepEqual(values('deg(x)', [10]), [572.9577951308232]);
    assert.deepEqual(values('rad(x)', [10, -10]), [0.17453292519943295, -0.17453292519943295]);
  });

  it('vector and timestamp', () => {
    assert.deepEqual(rows(runInstant('vector(1)', [3])), [['{}', 3]]);
    const ts = runInstant(
      'timestamp(x)',
      [[{ ...sample({ __name__: 'x' }, 1), t: 5000 }]],
      context('timestamp(x)', 7000, false),
    );
    assert.deepEqual(rows(ts), [['{}', 5]]);
  });
});

describe('trigonometric functions', () => {
  // Upstream's trig_functions.test values, which are Go's exact outputs.
  const cases: [string, number[], number[]][] = [
    ['sin(x)', [10, 20, nan], [-0.5440211108893699, 0.9129452507276277, nan]],
    ['cos(x)', [10, 20], [-0.8390715290764524, 0.40808206181339196]],
    ['tan(x)', [10, 20], [0.6483608274590867, 2.2371609442247427]],
    ['asin(x)', [10 - 10.1, 20 - 10.1], [-0.10016742116155944, nan]],
    ['acos(x)', [10 - 10.1], [1.670963747956456]],
    ['atan(x)', [10, 20], [1.4711276743037345, 1.5208379310729538]],
    ['sinh(x)', [20], [2.4258259770489514e8]],
    ['cosh(x)', [10, 20], [11013.232920103324, 2.4258259770489514e8]],
    ['tanh(x)', [10, 20], [0.9999999958776927, 1]],
    ['asinh(x)', [10, 20], [2.99822295029797, 3.6895038689889055]],
    ['acosh(x)', [10, 20], [2.993222846126381, 3.6882538673612966]],
    ['atanh(x)', [10 - 10.1], [-0.10033534773107522]],
  ];
  for (const [q, xs, want] of cases) it(q, () => assert.deepEqual(values(q, xs), want));

  it('reduce huge arguments (Payne–Hanek) close to V8', () => {
    for (const x of [2 ** 30, 1e10, 1e22, 1e300]) {
      for (const [q, f] of [
        ['sin(x)', Math.sin],
        ['cos(x)', Math.cos],
      ] as const) {
        const [got] = values(q, [x]);
        assert.ok(Math.abs((got as number) - f(x)) < 1e-15, `${q} at ${x}`);
      }
    }
  });
});

describe('name dropping', () => {
  const metric = { __name__: 'm', __type__: 'gauge', job: 'a' };
  it('marks dropName with delayed removal, removes the name and type labels without', () => {
    const delayed = runInstant('abs(m)', [[sample(metric, -1)]], context('abs(m)', 0, true));
    assert.deepEqual(
      delayed.map((s) => [s.metric.toString(), s.dropName]),
      [['{__name__="m", __type__="gauge", job="a"}', true]],
    );
    const now = runInstant('abs(m)', [[sample(metric, -1)]], context('abs(m)', 0, false));
    assert.deepEqual(
      now.map((s) => [s.metric.toString(), s.dropName]),
      [['{job="a"}', false]],
    );
  });
});

describe('calendar functions', () => {
  const t = 1136239445; // 2006-01-02 22:04:05 UTC, a Monday
  const cases: [string, number, number][] = [
    ['year(x)', t, 2006],
    ['month(x)', t, 1],
    ['day_of_month(x)', t, 2],
    ['day_of_year(x)', t, 2],
    ['day_of_week(x)', t, 1],
    ['hour(x)', t, 22],
    ['minute(x)', t, 4],
    ['day_of_week(x)', 0, 4],
    ['year(x)', 1230767999, 2008],
    ['year(x)', 1230768000, 2009],
    ['day_of_month(x)', 1456790399, 29],
    ['month(x)', 1456790400, 3],
    ['day_of_year(x)', 1483191420, 366],
    ['day_of_year(x)', 1672493820, 365],
    ['days_in_month(x)', 1454284800, 29],
    ['days_in_month(x)', 1485907200, 28],
    ['year(x)', -1, 1969],
    ['hour(x)', 3599.9, 0],
  ];
  for (const [q, x, want] of cases) it(`${q} of ${x}`, () => assert.deepEqual(values(q, [x]), [want]));
});
