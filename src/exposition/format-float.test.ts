import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatGoFloat, formatOpenMetricsFloat, formatOpenMetricsTimestamp } from './format-float.ts';

describe("formatGoFloat: strconv.FormatFloat(v, 'g', -1, 64) with expfmt's specials", () => {
  const table: [number, string, string][] = [
    // value, text 0.0.4, OpenMetrics
    [0, '0', '0.0'],
    [-0, '-0', '-0.0'],
    [1, '1', '1.0'],
    [-1, '-1', '-1.0'],
    [0.1, '0.1', '0.1'],
    [100000, '100000', '100000.0'],
    [1e6, '1e+06', '1e+06'],
    [1234567, '1.234567e+06', '1.234567e+06'],
    [123456.7, '123456.7', '123456.7'],
    [0.0001, '0.0001', '0.0001'],
    [0.00001, '1e-05', '1e-05'],
    [4.9351e-5, '4.9351e-05', '4.9351e-05'],
    [1e21, '1e+21', '1e+21'],
    [1e100, '1e+100', '1e+100'],
    [5e-324, '5e-324', '5e-324'],
    [1.7976931348623157e308, '1.7976931348623157e+308', '1.7976931348623157e+308'],
    [0.30000000000000004, '0.30000000000000004', '0.30000000000000004'],
    [Number.NaN, 'NaN', 'NaN'],
    [Number.POSITIVE_INFINITY, '+Inf', '+Inf'],
    [Number.NEGATIVE_INFINITY, '-Inf', '-Inf'],
  ];
  for (const [v, text, om] of table) {
    test(String(v), () => {
      assert.equal(formatGoFloat(v), text);
      assert.equal(formatOpenMetricsFloat(v), om);
    });
  }
});

describe('formatOpenMetricsTimestamp', () => {
  const back = (s: string) => Math.trunc(Number(s) * 1000);
  test('values where ms / 1000 comes back one short are nudged to read back exactly', () => {
    let nudged = 0;
    let seed = 7;
    for (let i = 0; i < 200_000; i++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      const ms = Math.floor((seed / 2 ** 32) * 4e12) - (i % 7 === 0 ? 2e12 : 0);
      if (Math.trunc((ms / 1000) * 1000) !== ms) nudged++;
      assert.equal(back(formatOpenMetricsTimestamp(ms)), ms, String(ms));
    }
    assert.ok(nudged > 100, `only ${nudged} needed a nudge`);
  });
  const table: [number, string][] = [
    [0, '0'],
    [1000, '1'],
    [1520879607789, '1.520879607789e+09'],
    [-1500, '-1.5'],
  ];
  for (const [ms, s] of table) test(String(ms), () => assert.equal(formatOpenMetricsTimestamp(ms), s));
});
