import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatUlid, isUlid, UlidGenerator, ulidTime } from './ulid.ts';

describe('ULID', () => {
  it('encodes time and randomness in Crockford base32', () => {
    assert.equal(formatUlid(0, new Uint8Array(10)), '00000000000000000000000000');
    assert.equal(formatUlid(2 ** 48 - 1, new Uint8Array(10).fill(0xff)), '7ZZZZZZZZZZZZZZZZZZZZZZZZZ');
    // The time part of the ULID specification's example.
    assert.equal(formatUlid(1469918176385, new Uint8Array(10)).slice(0, 10), '01ARYZ6S41');
    assert.equal(formatUlid(1, Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 1])), '00000000010000000000000001');
    assert.equal(ulidTime('01ARYZ6S41TSV4RRFFQ69G5FAV'), 1469918176385);
    assert.throws(() => formatUlid(2 ** 48, new Uint8Array(10)), RangeError);
  });

  it('tells canonical ULIDs apart', () => {
    assert.ok(isUlid('01ARYZ6S41TSV4RRFFQ69G5FAV'));
    assert.ok(!isUlid('01aryz6s41tsv4rrffq69g5fav'));
    assert.ok(!isUlid('81ARYZ6S41TSV4RRFFQ69G5FAV'));
    assert.ok(!isUlid('01ARYZ6S41TSV4RRFFQ69G5FAI'));
    assert.ok(!isUlid('01ARYZ6S41'));
  });

  it('increase strictly within one millisecond and follow the clock', () => {
    let now = 1_700_000_000_000;
    const gen = new UlidGenerator(
      () => now,
      (b) => b.fill(0xfe),
    );
    const a = gen.next();
    const b = gen.next();
    const c = gen.next();
    assert.ok(a < b && b < c, `${a} ${b} ${c}`);
    assert.equal(ulidTime(c), now);
    now += 1;
    const d = gen.next();
    assert.ok(c < d);
    assert.equal(ulidTime(d), now);
    assert.ok([a, b, c, d].every(isUlid));
  });
});
