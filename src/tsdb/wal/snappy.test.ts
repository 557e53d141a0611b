import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SnappyFormatError, snappyDecode } from './snappy-decode.ts';
import { snappyEncode, snappyMaxEncodedLength } from './snappy-encode.ts';

const hex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s/g, ''), 'hex'));
const text = (b: Uint8Array | SnappyFormatError) => {
  assert.ok(b instanceof Uint8Array, String(b));
  return Buffer.from(b).toString('latin1');
};

function lcg(seed: number) {
  let x = seed;
  return () => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return x >>> 8;
  };
}

describe('snappy decode', () => {
  // Streams written by hand from the format description: one per element kind.
  const streams: [string, string, string][] = [
    ['empty', '00', ''],
    ['short literal', '03 08 616263', 'abc'],
    ['literal with 1-byte length', `${(70).toString(16)} f0 45 ${'61'.repeat(70)}`, 'a'.repeat(70)],
    ['literal with 2-byte length', `ac02 f4 2b01 ${'62'.repeat(300)}`, 'b'.repeat(300)],
    ['copy with 1-byte offset', '08 08 616263 05 03', 'abcabcab'],
    ['overlapping copy (run)', '0a 00 78 22 01 00', 'x'.repeat(10)],
    ['copy with 2-byte offset', '0b 08 616263 1e 0300', 'abcabcabcab'],
    ['copy with 4-byte offset', '06 04 6162 0f 02000000', 'ababab'],
  ];
  for (const [name, input, want] of streams) {
    it(name, () => assert.equal(text(snappyDecode(hex(input))), want));
  }

  it('decodes into the scratch buffer when it is large enough', () => {
    const scratch = new Uint8Array(16);
    const out = snappyDecode(hex('03 08 616263'), scratch);
    assert.ok(out instanceof Uint8Array);
    assert.equal(out.buffer, scratch.buffer);
  });

  const bad: [string, string, RegExp][] = [
    ['no length', '', /truncated length/],
    ['unterminated length', '8080', /truncated length/],
    ['length beyond 32 bits', '8080808080808001', /overflows/],
    ['impossible length', 'ffff03 00', /impossible/],
    ['literal past the input', '05 10 6162', /past the input/],
    ['literal past the length', '01 08 616263', /past the decoded length/],
    ['copy before the start', '04 00 61 01 05', /offset 5 out of range/],
    ['zero offset', '05 00 61 01 00', /offset 0 out of range/],
    ['truncated copy', '05 00 61 02 01', /truncated copy/],
    ['short output', '05 08 616263', /decoded 3 bytes, header says 5/],
  ];
  for (const [name, input, reason] of bad) {
    it(`reports ${name}`, () => {
      const r = snappyDecode(hex(input));
      assert.ok(r instanceof SnappyFormatError);
      assert.match(r.message, reason);
    });
  }

  it('never throws on random input', () => {
    const rand = lcg(7);
    for (let i = 0; i < 5000; i++) {
      const b = new Uint8Array(rand() % 40);
      for (let j = 0; j < b.length; j++) b[j] = rand() & 0xff;
      const r = snappyDecode(b);
      assert.ok(r instanceof Uint8Array || r instanceof SnappyFormatError);
    }
  });
});

describe('snappy encode', () => {
  it('round-trips inputs of every shape across block boundaries', () => {
    const rand = lcg(1);
    const sizes = [0, 1, 4, 16, 17, 18, 100, 4095, 65535, 65536, 65537, 200_000];
    for (const n of sizes) {
      for (const kind of ['random', 'text', 'runs', 'samples'] as const) {
        const src = new Uint8Array(n);
        for (let i = 0; i < n; i++) {
          src[i] =
            kind === 'random'
              ? rand() & 0xff
              : kind === 'text'
                ? 'the quick brown fox '.charCodeAt((i * 7 + (rand() % 3)) % 20)
                : kind === 'runs'
                  ? (i >> 9) & 0xff
                  : i % 10 < 2
                    ? i % 3
                    : (rand() % 4) + 0x40;
        }
        const enc = snappyEncode(src);
        assert.ok(enc.length <= snappyMaxEncodedLength(n));
        const dec = snappyDecode(enc);
        assert.ok(dec instanceof Uint8Array, `${kind} ${n}: ${String(dec)}`);
        assert.ok(Buffer.from(dec).equals(Buffer.from(src)), `${kind} ${n} round trip`);
        if (kind === 'runs' && n > 1000) assert.ok(enc.length < n / 10, `${kind} ${n} compresses`);
      }
    }
  });

  it('encodes into a scratch buffer large enough, and into a new array otherwise', () => {
    const src = new Uint8Array(5000).map((_, i) => (i % 7) * 3);
    const want = Buffer.from(snappyEncode(src));
    const scratch = new Uint8Array(snappyMaxEncodedLength(src.length)).fill(0xee);
    const inScratch = snappyEncode(src, scratch);
    assert.equal(inScratch.buffer, scratch.buffer);
    assert.ok(Buffer.from(inScratch).equals(want));
    const small = new Uint8Array(snappyMaxEncodedLength(src.length) - 1);
    const fresh = snappyEncode(src, small);
    assert.notEqual(fresh.buffer, small.buffer);
    assert.ok(Buffer.from(fresh).equals(want));
  });

  it('uses long copies for long matches', () => {
    const src = new Uint8Array(1000).fill(0x61);
    const enc = snappyEncode(src);
    assert.ok(enc.length < 60, `encoded ${enc.length} bytes`);
    assert.equal(text(snappyDecode(enc)), 'a'.repeat(1000));
  });
});
