import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Decbuf, Encbuf, MAX_SIGNED_VARINT, sectionAt } from './encoding.ts';
import { assertCorrupt } from './testing.ts';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('Encbuf and Decbuf', () => {
  it('write varints as Go does', () => {
    const cases: Array<[string, (e: Encbuf) => void, string]> = [
      ['uvarint 0', (e) => e.uvarint(0), '00'],
      ['uvarint 127', (e) => e.uvarint(127), '7f'],
      ['uvarint 300', (e) => e.uvarint(300), 'ac02'],
      ['uvarint 2^32', (e) => e.uvarint(2 ** 32), '8080808010'],
      ['uvarint 2^53-1', (e) => e.uvarint(Number.MAX_SAFE_INTEGER), 'ffffffffffffff0f'],
      ['varint -1', (e) => e.varint(-1), '01'],
      ['varint 1', (e) => e.varint(1), '02'],
      ['varint -65', (e) => e.varint(-65), '8101'],
      ['be32', (e) => e.be32(0xbaaad700), 'baaad700'],
      ['be64', (e) => e.be64(2 ** 40 + 5), '0000010000000005'],
      ['string', (e) => e.uvarintStr('\u{1d11e}'), '04f09d849e'],
    ];
    for (const [name, write, want] of cases) {
      const e = new Encbuf(1);
      write(e);
      assert.equal(hex(e.get()), want, name);
    }
  });

  it('read back what they wrote', () => {
    const e = new Encbuf(4);
    const nums = [0, 1, 127, 128, 16_383, 16_384, 2 ** 31, 2 ** 32 + 7, Number.MAX_SAFE_INTEGER];
    const signed = [0, -1, 1, -64, 64, -(2 ** 40), 1_700_000_000_000, MAX_SIGNED_VARINT, -MAX_SIGNED_VARINT];
    for (const n of nums) e.uvarint(n);
    for (const n of signed) e.varint(n);
    e.uvarintStr('caf\u00e9');
    e.be64(2 ** 52 + 3);
    const d = new Decbuf(Buffer.from(e.get()), 0, e.len);
    assert.deepEqual(
      nums.map(() => d.uvarint()),
      nums,
    );
    assert.deepEqual(
      signed.map(() => d.varint()),
      signed,
    );
    assert.equal(d.uvarintStr(), 'caf\u00e9');
    assert.equal(d.be64(), 2 ** 52 + 3);
    assert.equal(d.remaining, 0);
    assert.equal(d.err, null);
  });

  it('refuse numbers they cannot hold exactly', () => {
    const e = new Encbuf();
    assert.throws(() => e.uvarint(-1), RangeError);
    assert.throws(() => e.uvarint(2 ** 53), RangeError);
    assert.throws(() => e.varint(2 ** 52), RangeError);
    assert.throws(() => e.varint(0.5), RangeError);
  });

  it('keep the first read failure with its offset and return zeros after it', () => {
    const cases: Array<[string, string, (d: Decbuf) => unknown, number]> = [
      ['truncated varint', '0080', (d) => [d.byte(), d.uvarint()], 1],
      ['varint past 2^53', '0080808080808080808001', (d) => [d.byte(), d.uvarint()], 1],
      ['varint of 11 bytes', 'ffffffffffffffffffff01', (d) => d.uvarint(), 0],
      ['short be32', '000000', (d) => d.be32(), 0],
      ['be64 past 2^53', '0020000000000000', (d) => d.be64(), 0],
      ['string past the end', '05616263', (d) => d.uvarintStr(), 1],
    ];
    for (const [name, bytes, read, offset] of cases) {
      const d = new Decbuf(Buffer.from(bytes, 'hex'), 0, bytes.length / 2);
      read(d);
      assert.notEqual(d.err, null, name);
      assert.equal(d.errOffset, offset, name);
      assert.equal(d.uvarint(), 0, name);
      assert.equal(d.uvarintStr(), '', name);
    }
  });

  it('open checksummed sections and report the section offset on failure', () => {
    const e = new Encbuf();
    e.zeros(3);
    e.be32(2);
    e.bytes(Buffer.from('hi'));
    e.be32(0x1b7f4e2c); // wrong on purpose
    const b = Buffer.from(e.get());
    assertCorrupt(() => sectionAt(b, 3, 'f', 'thing'), 'f', 3);
    assertCorrupt(() => sectionAt(b, 8, 'f', 'thing'), 'f', 8);
    assertCorrupt(() => sectionAt(b.subarray(0, 10), 3, 'f', 'thing'), 'f', 3);
  });
});
