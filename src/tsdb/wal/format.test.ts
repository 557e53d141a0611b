// docs/format/wal.md states the bytes; this keeps its tables and the code's constants the same.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { RecordType, recordTypeName } from '../record/index.ts';
import * as format from './format.ts';

const doc = readFileSync(new URL('../../../docs/format/wal.md', import.meta.url), 'utf8');

/** The first-column → second-column pairs of the markdown table rows whose first cell matches `key`. */
function rows(key: RegExp): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of doc.split('\n')) {
    const cells = line.split('|').map((c) => c.trim().replace(/`/g, ''));
    if (cells.length > 3 && key.test(cells[1] ?? '')) out.set(cells[1] as string, cells[2] as string);
  }
  return out;
}

describe('docs/format/wal.md', () => {
  it('lists every layout constant with the value the code uses', () => {
    const documented = rows(/^[A-Z][A-Z_]+$/);
    const constants = Object.entries(format).filter(([, v]) => typeof v !== 'object');
    assert.deepEqual([...documented.keys()].sort(), constants.map(([k]) => k).sort());
    for (const [name, value] of constants) {
      const text = documented.get(name) as string;
      const parsed = /^0x[0-9a-f]+$/i.test(text) ? Number.parseInt(text, 16) : /^\d+$/.test(text) ? Number(text) : text;
      assert.equal(parsed, value, name);
    }
  });

  it('numbers the fragment types as the code does', () => {
    const documented = rows(/^(PageTerm|Full|First|Middle|Last)$/);
    assert.deepEqual(Object.fromEntries([...documented].map(([k, v]) => [k, Number(v)])), format.FragmentType);
  });

  it('numbers the record types as the code does', () => {
    const documented = rows(/^\d+$/);
    for (const [code, name] of documented) {
      const camel = recordTypeName(Number(code))
        .split('_')
        .map((w) => w.replace(/^./, (c) => c.toUpperCase()))
        .join('');
      assert.ok(name.startsWith(camel), `type ${code}: documented ${name}, code ${camel}`);
      assert.equal((RecordType as Record<string, number>)[camel], Number(code));
    }
    assert.equal(documented.size, Object.keys(RecordType).length - 1);
  });
});
