import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { decimalAt, decimalFields, flatKeyed, parseIdList } from './parse.ts';
import { FileReader } from './read-file.ts';

describe('flatKeyed', () => {
  const stat = 'cache 1\nrss 2\nrss_huge 3\ntotal_rss 4\nswap 5\nhierarchical_memory_limit 9223372036854771712\n';
  const cases: [string, string, number | null][] = [
    ['first line', 'cache', 1],
    ['a key that prefixes another', 'rss', 2],
    ['the longer key', 'rss_huge', 3],
    ['a key that another ends with', 'total_rss', 4],
    ['absent', 'total_swap', null],
    ['not at a line start', 'huge', null],
    ['a value past 2^53 (nearest double)', 'hierarchical_memory_limit', Number(9223372036854771712n)],
  ];
  for (const [name, key, want] of cases) test(name, () => assert.equal(flatKeyed(stat, key), want));
  test('meminfo keys with a colon and kB', () => {
    assert.equal(flatKeyed('MemTotal:       24683828 kB\nMemFree:  1 kB\n', 'MemFree:'), 1);
  });
});

describe('decimalAt', () => {
  const cases: [string, number][] = [
    ['  42\n', 42],
    ['-1\n', -1],
    ['max\n', Number.POSITIVE_INFINITY],
    ['x', Number.NaN],
    ['', Number.NaN],
  ];
  for (const [text, want] of cases) test(JSON.stringify(text), () => assert.equal(decimalAt(text, 0), want));
});

test('parseIdList reuses its array and ignores a missing final newline', () => {
  const out = [9, 9, 9, 9];
  assert.equal(parseIdList('12\n345\n6', out), 3);
  assert.deepEqual(out.slice(0, 3), [12, 345, 6]);
  assert.equal(parseIdList('', out), 0);
});

test('decimalFields: usage_percpu with its trailing blank; a bad field is null', () => {
  assert.deepEqual(decimalFields('12967445429 13083483636 \n'), [12967445429, 13083483636]);
  assert.deepEqual(decimalFields('\n'), []);
  assert.equal(decimalFields('1 x 2\n'), null);
});

describe('FileReader', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-reader-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('grows past its initial buffer and keeps the bytes exact', () => {
    const big = `${'x'.repeat(40_000)}\nend\n`;
    writeFileSync(join(dir, 'big'), big);
    const r = new FileReader({ initialBytes: 1024 });
    assert.equal(r.text(join(dir, 'big')), big);
    assert.equal(r.lastError, '');
  });

  test('number: max, -1, not a number, missing', () => {
    const r = new FileReader();
    const cases: [string, number | null, string][] = [
      ['max\n', Number.POSITIVE_INFINITY, ''],
      ['-1\n', -1, ''],
      ['100000\n', 100000, ''],
      ['oops\n', null, 'EPARSE'],
    ];
    for (const [text, want, err] of cases) {
      writeFileSync(join(dir, 'n'), text);
      assert.equal(r.number(join(dir, 'n')), want, text);
      assert.equal(r.lastError, err);
    }
    assert.equal(r.number(join(dir, 'missing')), null);
    assert.equal(r.lastError, 'ENOENT');
  });

  test('reads procfs files that report size 0', () => {
    const r = new FileReader({ initialBytes: 64 });
    const text = r.text('/proc/self/status');
    assert.ok(text?.startsWith('Name:') && text.length > 64);
  });
});
