// Operators, PCRE-to-RE2 translation, the Aho–Corasick matcher and the SQLi/XSS detectors, as tables.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { detectSqli, detectXss, operators, pcreToRe2, WafEngine } from '../src/gateway/waf/index.ts';

type Name = keyof typeof operators;

const env = { readData: (n: string) => (n === 'list.data' ? '# comment\nfoo\n\nBar baz\n' : '') };

const cases: Array<[Name, string, string, boolean]> = [
  ['rx', '(?i)^a.c$', 'A\nC', true],
  ['rx', '\\x{e2}\\x80[\\x98\\x99]', 'x\xe2\x80\x99', true],
  ['rx', '^b$', 'a\nb\nc', true],
  ['pm', 'foo bar', 'xxBARxx', true],
  ['pm', 'foo bar', 'xxbaxx', false],
  ['pmfromfile', 'list.data', 'my bar baz!', true],
  ['pmfromfile', 'list.data', 'comment', false],
  ['streq', 'abc', 'abc', true],
  ['contains', 'b', 'abc', true],
  ['beginswith', 'ab', 'abc', true],
  ['endswith', 'bc', 'abc', true],
  ['within', 'GET POST', 'POST', true],
  ['within', 'GET POST', '', false],
  ['eq', '5', '5', true],
  ['ge', '5', '4', false],
  ['gt', '5', '6', true],
  ['le', '5', 'x', true],
  ['lt', '5', '5', false],
  ['ipmatch', '10.0.0.0/8,::1', '10.1.2.3', true],
  ['ipmatch', '10.0.0.0/8,::1', '11.1.2.3', false],
  ['validatebyterange', '32-126', 'abc', false],
  ['validatebyterange', '32-126', 'a\x01', true],
  ['validateurlencoding', '', 'a%2', true],
  ['validateurlencoding', '', 'a%20', false],
  ['validateutf8encoding', '', 'a\xc3\xa9', false],
  ['validateutf8encoding', '', 'a\xc0\xaf', true],
  ['unconditionalmatch', '', '', true],
];

describe('WAF operators', () => {
  const state = new WafEngine({ sources: [] }).newTransaction({ clientIp: '127.0.0.1' }).state;
  for (const [name, param, input, want] of cases) {
    it(`@${name} ${JSON.stringify(param)} on ${JSON.stringify(input)}`, () => {
      const op = operators[name](param, env);
      assert.equal(typeof op, 'function');
      if (typeof op !== 'function') return;
      assert.equal(op(input, { state, capture: true, matched: '' }), want);
    });
  }

  it('@rx with capture fills TX.0–TX.9', () => {
    const op = operators.rx('(a)(b)?', env);
    assert.equal(typeof op, 'function');
    if (typeof op !== 'function') return;
    op('xa', { state, capture: true, matched: '' });
    assert.equal(state.tx.get('0'), 'a');
    assert.equal(state.tx.get('1'), 'a');
    assert.equal(state.tx.has('2'), false);
  });
});

describe('PCRE to RE2', () => {
  const rows: Array<[string, string | RegExp]> = [
    ['a\\Z', 'a(?:\\n?\\z)'],
    ['(?>ab)c', '(?:ab)c'],
    ['a++b', 'a+b'],
    ['[\\h]x\\h', '[\\t ]x[\\t ]'],
    ['a(?=b)', /lookahead/],
    ['(?<!a)b', /lookbehind/],
    ['(a)\\1', /backreference/],
  ];
  for (const [pcre, want] of rows) {
    it(pcre, () => {
      const r = pcreToRe2(pcre);
      if (typeof want === 'string') assert.deepEqual(r, { source: want });
      else assert.ok('reason' in r && want.test(r.reason));
    });
  }
});

describe('SQLi and XSS detectors', () => {
  const sqli: Array<[string, boolean]> = [
    ["1' or '1'='1", true],
    ['1 union select password from users', true],
    ["admin'--", true],
    ['1;drop table users', true],
    ['hello world', false],
    ['john.smith@example.com', false],
    ['1tmmozr%5E2%5Eg1i%5E0%5E2161', false],
    ["' OR 'a'='a", true],
    ['1) or (1=1', true],
    ["x' AND SLEEP(5)#", true],
    ['-1 UNION ALL SELECT 1,2,3', true],
    ["O'Reilly", false],
    ["rock'n'roll", false],
    ['Tom & Jerry', false],
    ["I'd like to order 2 or 3", false],
    ['{"a":1,"b":[1,2]}', false],
    ['price >= 10 and <= 20', false],
    ['union station', false],
    ['1 or 2 items', false],
    ['count(*)', false],
    ['sleep(8 hours)', false],
    ["Tom's diner -- open late", false],
    ["isn't 'that' = 'this'?", false],
    ['1 or 1', true],
    ['sleep(5)', true],
    ["2010-01-01' sleep(20.to_i) '", true],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64)', false],
  ];
  for (const [input, want] of sqli)
    it(`detectSqli ${JSON.stringify(input)}`, () => assert.equal(detectSqli(input) !== undefined, want));
  const xss: Array<[string, boolean]> = [
    ['<script>alert(1)</script>', true],
    ['<img src=x onerror=alert(1)>', true],
    ['javascript:alert(1)', true],
    ['<a href="javascript:x">', true],
    ['" onmouseover="alert(1)', true],
    ['<b>bold</b>', false],
    ['<svg/onload=alert(1)>', true],
    ["' onfocus='alert(1)' autofocus='", true],
    ['on sale now', false],
    ['Tom & Jerry <3', false],
    ['a < b and c > d', false],
  ];
  for (const [input, want] of xss)
    it(`detectXss ${JSON.stringify(input)}`, () => assert.equal(detectXss(input) !== undefined, want));
});
