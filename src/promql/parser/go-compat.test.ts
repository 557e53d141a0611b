import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatDuration, parseDuration } from './duration.ts';
import { formatFloatF, formatFloatV, goParseFloat, goRound, parseNumberLiteral } from './go-numbers.ts';
import { goQuote, goQuoteRune, goRuneDescription, isValidUtf8, unquote } from './go-strings.ts';
import { goRegexpError } from './regexp-errors.ts';

describe('parseDuration (model.ParseDuration)', () => {
  const cases: Array<[string, bigint | string]> = [
    ['0', 0n],
    ['5m', 300_000_000_000n],
    ['1h30m', 5_400_000_000_000n],
    ['1m30ms', 60_030_000_000n],
    ['5y', 157_680_000_000_000_000n],
    ['', 'empty duration string'],
    ['5m1h', 'not a valid duration string: "5m1h"'],
    ['5m1m', 'not a valid duration string: "5m1m"'],
    ['5y1hs', 'unknown unit "hs" in duration "5y1hs"'],
    ['1.5s', 'unknown unit "." in duration "1.5s"'],
    ['300y', 'duration out of range'],
  ];
  for (const [text, want] of cases) {
    it(JSON.stringify(text), () => {
      const d = parseDuration(text);
      if (typeof want === 'string') assert.equal(d.error, want);
      else assert.deepEqual(d, { ns: want });
    });
  }
});

describe('formatDuration (model.Duration.String)', () => {
  const cases: Array<[number, string]> = [
    [0, '0s'],
    [1, '1ms'],
    [90_000, '1m30s'],
    [90 * 86_400_000, '90d'],
    [14 * 86_400_000, '2w'],
    [366 * 86_400_000, '366d'],
    [365 * 86_400_000, '1y'],
    [3_600_000 + 500, '1h500ms'],
    [0.4, '0s'],
  ];
  for (const [ms, text] of cases) it(text, () => assert.equal(formatDuration(ms), text));
});

describe('Go number syntax and formatting', () => {
  const literals: Array<[string, number | string]> = [
    ['0755', 493],
    ['08', 8],
    ['0x1F', 31],
    ['1_000', 1000],
    ['1e3', 1000],
    ['.5', 0.5],
    ['Inf', Number.POSITIVE_INFINITY],
    ['0x1p-2', 0.25],
    ['9223372036854775807', 2 ** 63],
    ['0x', 'strconv.ParseFloat: parsing "0x": invalid syntax'],
    ['1e400', 'strconv.ParseFloat: parsing "1e400": value out of range'],
  ];
  for (const [text, want] of literals) {
    it(`parses ${text}`, () => {
      const r = parseNumberLiteral(text);
      if (typeof want === 'string') assert.equal(r.error, want);
      else assert.equal(r.value, want);
    });
  }
  it('parses NaN', () => assert.ok(Number.isNaN(goParseFloat('NaN').value)));
  const formats: Array<[number, string, string]> = [
    [1, '1', '1'],
    [-0.5, '-0.5', '-0.5'],
    [1e21, '1000000000000000000000', '1e+21'],
    [123456, '123456', '123456'],
    [1234567, '1234567', '1.234567e+06'],
    [1e-5, '0.00001', '1e-05'],
    [0.0001, '0.0001', '0.0001'],
    [Number.NaN, 'NaN', 'NaN'],
    [Number.NEGATIVE_INFINITY, '-Inf', '-Inf'],
  ];
  for (const [v, f, g] of formats) {
    it(`formats ${v}`, () => {
      assert.equal(formatFloatF(v), f);
      assert.equal(formatFloatV(v), g);
    });
  }
  it('rounds half away from zero', () => {
    assert.deepEqual([2.5, -2.5, 0.49999999999999994, -0.5].map(goRound), [3, -3, 0, -1]);
  });
});

describe('Go string quoting', () => {
  const quotes: Array<[string, string]> = [
    ['abc', '"abc"'],
    ['a"b\\c', '"a\\"b\\\\c"'],
    ['\n\t\x07\x00', '"\\n\\t\\a\\x00"'],
    ['é☺', '"é☺"'],
    ['\u00ad', '"\\u00ad"'],
    ['\u{e0001}', '"\\U000e0001"'],
    ['a\udcc5z', '"a\\xc5z"'],
  ];
  for (const [s, q] of quotes) it(q, () => assert.equal(goQuote(s), q));
  it('quotes runes', () => {
    assert.deepEqual(["'", '"', '}', '\n'].map(goQuoteRune), ["'\\''", `'"'`, "'}'", "'\\n'"]);
    assert.equal(goRuneDescription('c'), "U+0063 'c'");
  });
  const unquotes: Array<[string, string]> = [
    ['"a\\nb"', 'a\nb'],
    ["'it\\'s'", "it's"],
    ['`raw\\n`', 'raw\\n'],
    ['"\\u70ac = torch"', '炬 = torch'],
    ['"\\xc3\\xa9"', 'é'],
    ['"\\377"', '\udcff'],
  ];
  for (const [lit, s] of unquotes) it(`unquotes ${lit}`, () => assert.equal(unquote(lit), s));
  it('knows valid UTF-8', () => {
    assert.ok(isValidUtf8('é☺\u{1f600}'));
    assert.ok(!isValidUtf8('a\udcffb'));
  });
});

describe('goRegexpError', () => {
  const cases: Array<[string, string]> = [
    ['missing ): ^(?s:(.*)$', 'error parsing regexp: missing closing ): `^(?s:(.*)$`'],
    ['missing ]: [a)$', 'error parsing regexp: missing closing ]: `[a)$`'],
    ['bad repetition operator: **', 'error parsing regexp: invalid nested repetition operator: `**`'],
    ['no argument for repetition operator: *', 'error parsing regexp: missing argument to repetition operator: `*`'],
  ];
  for (const [re2, go] of cases) it(re2, () => assert.equal(goRegexpError(re2), go));
});
