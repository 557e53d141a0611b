// Transformations, one table row per case: input and expected output (Latin-1 strings, one char per byte).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { transformations } from '../src/gateway/waf/index.ts';

type Name = keyof typeof transformations;

const cases: Array<[Name, string, string]> = [
  ['lowercase', 'AbC\xc9', 'abc\xc9'],
  ['urldecode', 'a%20b+c%zz%4', 'a b c%zz%4'],
  ['urldecodeuni', '%u0041%uff41%41', 'Aa' + 'A'],
  ['htmlentitydecode', '&lt;&#x41;&#66&quot;&nbsp;&bogus;', '<AB"\xa0&bogus;'],
  ['htmlentitydecode', '&#00000000000000000000000123;', '{'],
  ['jsdecode', '\\x41\\u0042\\103\\n\\q', 'ABC\nq'],
  ['escapeseqdecode', '\\x41\\u0042', 'Au0042'],
  ['cssdecode', '\\41 b\\\nc\\z', 'Abcz'],
  ['utf8tounicode', 'a\xc3\xa9', 'a%u00e9'],
  ['removewhitespace', ' a \t b\n', 'ab'],
  ['compresswhitespace', 'a  \t b', 'a b'],
  ['removenulls', 'a\0b', 'ab'],
  ['replacecomments', 'a/* x */b/* y', 'a b '],
  ['removecommentschar', 'a/*b*/c--d#e', 'abcde'],
  ['cmdline', "C^a'T ; /ETC,\\x", 'cat/etc x'],
  ['normalizepath', '/a/./b/../c//d', '/a/c/d'],
  ['normalizepathwin', '\\a\\..\\b', '/b'],
  ['base64decode', 'QUJD', 'ABC'],
  ['hexencode', 'AB', '4142'],
  ['length', 'abcd', '4'],
  ['sha1', 'abc', Buffer.from('a9993e364706816aba3e25717850c26c9cd0d89d', 'hex').toString('latin1')],
];

describe('WAF transformations', () => {
  for (const [name, input, want] of cases) {
    it(`${name}(${JSON.stringify(input)})`, () => {
      const r = transformations[name](input);
      assert.equal(r.value, want);
      assert.equal(r.changed, want !== input);
    });
  }
});
