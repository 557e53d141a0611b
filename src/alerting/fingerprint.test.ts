import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fingerprint } from './fingerprint.ts';

/** The same hash with BigInt, byte by byte, as the reference. */
function reference(labels: Record<string, string>): string {
  let h = 0xcbf29ce484222325n;
  const add = (b: number) => {
    h ^= BigInt(b);
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  };
  for (const n of Object.keys(labels).sort()) {
    for (const b of Buffer.from(n)) add(b);
    add(0xff);
    for (const b of Buffer.from(labels[n] as string)) add(b);
    add(0xff);
  }
  return h.toString(16).padStart(16, '0');
}

describe('fingerprint', () => {
  it('is FNV-1a 64 of the sorted label pairs', () => {
    const cases: Record<string, string>[] = [
      {},
      { alertname: 'HighLatency' },
      { alertname: 'HighLatency', cluster: 'eu1', instance: 'web-1', severity: 'warning' },
      { z: 'ünïcødé ✓', a: '' },
      { job: 'x'.repeat(300) },
    ];
    for (const c of cases) assert.equal(fingerprint(c), reference(c), JSON.stringify(c));
  });

  it('has the empty set at the offset basis', () => {
    assert.equal(fingerprint({}), 'cbf29ce484222325');
  });

  it('does not depend on key order', () => {
    assert.equal(fingerprint({ a: '1', b: '2' }), fingerprint({ b: '2', a: '1' }));
  });
});
