import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatFloat } from './go-float.ts';
import { GoDuration } from './go-time.ts';
import { KV } from './kv.ts';
import { sprint, sprintf, sprintln } from './printf.ts';

/** [format, args, expected] as Go's fmt.Sprintf gives them (ints are bigint, floats number). */
const cases: [string, unknown[], string][] = [
  ['%s|%v|%q', ['a', 'b', 'c"d'], 'a|b|"c\\"d"'],
  ['%d|%5d|%-5d|%05d|%+d|% d', [1n, 2n, 3n, -4n, 5n, 6n], '1|    2|3    |-0004|+5| 6'],
  ['%x|%X|%#x|%o|%O|%b|%#b', [255n, 255n, 255n, 8n, 8n, 5n, 5n], 'ff|FF|0xff|10|0o10|101|0b101'],
  ['%c|%q|%U', [0x1f600n, 10n, 0x41n], "😀|'\\n'|U+0041"],
  [
    '%f|%.2f|%5.1f|%e|%.3e|%g|%.3g|%G',
    [1.5, 3.14259, 2.25, 123456.789, 0.000123, 1e-7, 2.5e10, 1e21],
    '1.500000|3.14|  2.2|1.234568e+05|1.230e-04|1e-07|2.5e+10|1E+21',
  ],
  ['%.0f %.0f %.0f %.1f', [0.5, 1.5, 2.5, 0.25], '0 2 2 0.2'],
  [
    '%v %v %v %v %v',
    [0.1, 1e6, 123456, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY],
    '0.1 1e+06 123456 +Inf -Inf',
  ],
  [
    '%f|%5.1f|%+f|%05f',
    [Number.NaN, Number.POSITIVE_INFINITY, Number.NaN, Number.NEGATIVE_INFINITY],
    'NaN| +Inf|+NaN| -Inf',
  ],
  ['%t %v', [true, false], 'true false'],
  ['%v|%s|%d', [['a', 1n], ['x'], [1n, 2n]], '[a 1]|[x]|[1 2]'],
  ['%v|%d', [{ b: 2n, a: 1n }, { a: 1n }], 'map[a:1 b:2]|map[%!d(string=a):1]'],
  ['%v|%s|%q', [new KV({ a: '1' }), new KV({ a: '1' }), new KV({ a: '1' })], 'a=1|a=1|"a=1"'],
  ['%v|%s', [new GoDuration(90e9), new GoDuration(1500)], '1m30s|1.5µs'],
  ['%v', [new Date(Date.UTC(2020, 0, 2, 3, 4, 5))], '2020-01-02 03:04:05 +0000 UTC'],
  ['%s|%v|%d', [undefined, null, null], '|<nil>|%!d(<nil>)'],
  ['%d|%s|%t', ['x', 1.5, 'y'], '%!d(string=x)|%!s(float64=1.5)|%!t(string=y)'],
  ['%d %d', [1n], '1 %!d(MISSING)'],
  ['%d', [1n, 'a', 2.5], '1%!(EXTRA string=a, float64=2.5)'],
  ['%', [], '%!(NOVERB)'],
  ['%%|%5%', [], '%|%'],
  ['%-8s|%8s|%.1s', ['héllo', 'hé', 'héllo'], 'héllo   |      hé|h'],
  ['%q', ['tab\there\u0000é😀'], '"tab\\there\\x00é😀"'],
  ['%#q|%#q', ['plain', 'has`tick'], '`plain`|"has`tick"'],
  ['%*d|%.*f|%*d', [4n, 7n, 1n, 2.25, 'x', 1n], '   7|2.2|%!(BADWIDTH)1'],
  ['%[2]s %[1]s %s', ['a', 'b'], 'b a b'],
  ['%T %T %T %T %T', [1n, 1.5, 'a', true, null], 'int float64 string bool <nil>'],
];

describe('sprintf', () => {
  for (const [format, args, want] of cases) {
    it(`${format} ${JSON.stringify(args, (_, v) => (typeof v === 'bigint' ? `${v}n` : v))}`, () => {
      assert.equal(sprintf(format, args), want);
    });
  }
});

describe('sprint and sprintln', () => {
  it('puts spaces between operands that are not strings', () => {
    assert.equal(sprint([1n, 2n, 'a', 'b', 3n, true]), '1 2ab3 true');
    assert.equal(sprintln([1n, 'a', 2.5]), '1 a 2.5\n');
  });
});

describe('formatFloat', () => {
  /** [x, verb, prec, expected] */
  const floats: [number, string, number, string][] = [
    [0, 'g', -1, '0'],
    [-0, 'g', -1, '-0'],
    [100000, 'g', -1, '100000'],
    [1e6, 'g', -1, '1e+06'],
    [1234567, 'g', -1, '1.234567e+06'],
    [0.0001, 'g', -1, '0.0001'],
    [0.00001, 'g', -1, '1e-05'],
    [5e-324, 'g', -1, '5e-324'],
    [1.7976931348623157e308, 'g', -1, '1.7976931348623157e+308'],
    [1234.5678, 'g', 4, '1235'],
    [99999, 'g', 4, '1e+05'],
    [999.95, 'g', 4, '1000'],
    [0.000123, 'g', 4, '0.000123'],
    [9.999, 'f', 2, '10.00'],
    [0.0005, 'f', 3, '0.001'],
    [1e21, 'f', 1, '1000000000000000000000.0'],
    [0.1, 'f', 20, '0.10000000000000000555'],
    [2.5, 'e', 0, '2e+00'],
    [1.5, 'e', 0, '2e+00'],
    [1e-7, 'f', -1, '0.0000001'],
  ];
  for (const [x, verb, prec, want] of floats) {
    it(`%${verb} ${prec} of ${x}`, () => assert.equal(formatFloat(x, verb, prec), want));
  }
});
