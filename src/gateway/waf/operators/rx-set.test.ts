import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compilePcre } from '../regex.ts';
import { AhoCorasick } from './aho-corasick.ts';
import { RegexSetPrefilter } from './rx-set.ts';

const patterns = [
  '(?i)<script[^>]*>',
  '^[\\w/.+*-]+$',
  '(?:union\\s+select|select\\s+.*\\s+from)',
  '\\x{e9}t\\x{e9}',
  'a$',
  '^\\s*$',
  '(?i)\\bon(?:load|error)\\s*=',
  '[\\x00-\\x08]',
];
const values = [
  '',
  'GET',
  'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0',
  '<SCRIPT src=x>',
  "1' union   select password from users",
  'caf\u00e9t\u00e9',
  'line a\nline b',
  '   ',
  'img onError = alert(1)',
  'nul\u0001byte',
  'x'.repeat(2000),
];

test('the set prefilter answers as each pattern alone, in every group and across transactions', () => {
  const res = patterns.map((p) => {
    const c = compilePcre(p);
    assert.ok(c.ok, p);
    return c.re;
  });
  const prefilter = new RegexSetPrefilter(res);
  for (let round = 0; round < 2; round++) {
    for (const value of values) {
      const v = prefilter.value(value);
      res.forEach((re, i) => {
        const known = prefilter.test(v, i);
        assert.notEqual(known, undefined);
        assert.equal(known, re.test(Buffer.from(value, 'utf8')), `/${patterns[i]}/ on ${JSON.stringify(value)}`);
      });
    }
  }
});

test('Aho–Corasick finds the same phrase with and without its transition table', () => {
  const alphabet = 'abcAB<>/ \u00e9x';
  let seed = 7;
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const word = (n: number) => Array.from({ length: n }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
  for (let k = 0; k < 500; k++) {
    const phrases = Array.from({ length: 1 + Math.floor(next() * 6) }, () => word(1 + Math.floor(next() * 4)));
    const table = new AhoCorasick(phrases);
    const plain = new AhoCorasick(phrases);
    (plain as unknown as { table: undefined }).table = undefined;
    for (let j = 0; j < 20; j++) {
      const text = word(Math.floor(next() * 20)) + (next() < 0.1 ? '\u0101' : '');
      assert.equal(table.find(text), plain.find(text), `${JSON.stringify(phrases)} in ${JSON.stringify(text)}`);
    }
  }
});
