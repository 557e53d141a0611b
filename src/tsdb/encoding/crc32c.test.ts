import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { crc32c } from './crc32c.ts';

describe('crc32c', () => {
  it('matches the standard check values', () => {
    // RFC 3720 (iSCSI) appendix B.4 and the usual "123456789" check value.
    assert.equal(crc32c(Buffer.from('123456789')), 0xe3069283);
    assert.equal(crc32c(new Uint8Array(32)), 0x8a9136aa);
    assert.equal(crc32c(new Uint8Array(32).fill(0xff)), 0x62a8ab43);
    assert.equal(crc32c(Uint8Array.from({ length: 32 }, (_, i) => i)), 0x46dd794e);
    assert.equal(crc32c(new Uint8Array(0)), 0);
  });

  it('continues across calls and honours start and end', () => {
    const data = Buffer.from('The quick brown fox jumps over the lazy dog, twice over.');
    const whole = crc32c(data);
    for (const cut of [0, 1, 7, 8, 9, 30, data.length]) {
      assert.equal(crc32c(data, cut, data.length, crc32c(data, 0, cut)), whole, `cut at ${cut}`);
    }
    const framed = Buffer.concat([Buffer.from('xx'), data, Buffer.from('yy')]);
    assert.equal(crc32c(framed, 2, 2 + data.length), whole);
  });
});
