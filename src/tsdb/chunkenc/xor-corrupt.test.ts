import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChunkCorruptionError, ChunkTruncatedError, ValueType, XorAppender, XorIterator } from './index.ts';

const T0 = 1_700_000_000_000;

function chunk(n: number, seed = 1): Uint8Array {
  const app = new XorAppender();
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    app.append(T0 + i * 15_000 + (x % 7) * (i % 3 === 0 ? 100_000 : 1), i % 5 === 0 ? x / 7 : i);
  }
  return app.bytes().slice();
}

/** Decodes `bytes`, which must never throw, returning the timestamps read and the error. */
function drain(bytes: Uint8Array, it = new XorIterator()): { ts: number[]; err: Error | null } {
  it.reset(bytes);
  const ts: number[] = [];
  while (it.next() !== ValueType.None) ts.push(it.atT());
  assert.equal(it.next(), ValueType.None, 'stays exhausted');
  return { ts, err: it.err() };
}

const bytesOf = (...xs: number[]) => Uint8Array.from(xs);

/** Bytes from a string of bits (spaces ignored), zero-padded to whole bytes. */
function fromBits(bits: string): Uint8Array {
  const s = bits.replaceAll(' ', '');
  const out = new Uint8Array(Math.ceil(s.length / 8));
  for (let i = 0; i < s.length; i++) if (s[i] === '1') out[i >> 3] = (out[i >> 3] as number) | (0x80 >> (i & 7));
  return out;
}
const zeros = (n: number) => '0'.repeat(n);

describe('XorIterator on broken chunks', () => {
  const table: {
    name: string;
    bytes: Uint8Array;
    cls: typeof ChunkTruncatedError | typeof ChunkCorruptionError;
    read: number;
  }[] = [
    { name: 'no bytes', bytes: bytesOf(), cls: ChunkTruncatedError, read: 0 },
    { name: 'half a header', bytes: bytesOf(0), cls: ChunkTruncatedError, read: 0 },
    { name: 'a count with no samples', bytes: bytesOf(0, 3), cls: ChunkTruncatedError, read: 0 },
    { name: 'a varint that never ends', bytes: bytesOf(0, 1, 0x80, 0x80), cls: ChunkTruncatedError, read: 0 },
    { name: 'a first value cut short', bytes: bytesOf(0, 1, 2, 0x3f, 0xf0, 0, 0), cls: ChunkTruncatedError, read: 0 },
    {
      name: 'a varint over 64 bits',
      bytes: bytesOf(0, 1, ...new Array(10).fill(0xff), 1, ...new Array(8).fill(0)),
      cls: ChunkCorruptionError,
      read: 0,
    },
    {
      name: 'a timestamp beyond 2^51',
      bytes: bytesOf(0, 1, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x10, ...new Array(8).fill(0)),
      cls: ChunkCorruptionError,
      read: 0,
    },
    {
      // Second sample: delta 1, then '11', 31 leading zeros, 40 significant bits: 71 bits wide.
      name: 'a value window wider than 64 bits',
      bytes: fromBits(`${zeros(14)}10 ${zeros(8)} ${zeros(64)} 00000001 11 11111 101000 ${zeros(40)}`),
      cls: ChunkCorruptionError,
      read: 1,
    },
    {
      // Second sample: delta 1, same value. Third: '1111' then a 64-bit delta of deltas of 2^60.
      name: 'a delta of deltas beyond 2^53',
      bytes: fromBits(`${zeros(14)}11 ${zeros(8)} ${zeros(64)} 00000001 0 1111 0001${zeros(60)} 0`),
      cls: ChunkCorruptionError,
      read: 2,
    },
  ];
  for (const c of table) {
    it(`reports ${c.name}`, () => {
      const { ts, err } = drain(c.bytes);
      assert.ok(err instanceof c.cls, `got ${err}`);
      assert.equal(ts.length, c.read);
      assert.equal((err as ChunkTruncatedError | ChunkCorruptionError).sample, c.read);
      assert.match(err.code, /^CHUNK_(TRUNCATED|CORRUPTION)$/);
      assert.throws(() => XorAppender.open(c.bytes), c.cls);
    });
  }

  it('reads a count above the samples present as padding samples, then ChunkTruncatedError', () => {
    const whole = chunk(5);
    const b = whole.slice();
    b[1] = 50;
    const { ts, err } = drain(b);
    // Padding bits read as zero deltas of deltas with unchanged values: the format cannot tell them apart.
    assert.deepEqual(ts.slice(0, 5), drain(whole).ts);
    assert.ok(ts.length < 50);
    assert.ok(err instanceof ChunkTruncatedError);
  });

  it('reads every truncation as a prefix of the samples, then ChunkTruncatedError', () => {
    const it = new XorIterator();
    for (const n of [1, 2, 3, 17, 120]) {
      const whole = chunk(n, n);
      const all = drain(whole, it).ts;
      assert.equal(all.length, n);
      for (let len = 0; len < whole.length; len++) {
        const { ts, err } = drain(whole.subarray(0, len), it);
        assert.deepEqual(ts, all.slice(0, ts.length), `${n} samples cut to ${len} bytes`);
        if (ts.length < n) assert.ok(err instanceof ChunkTruncatedError, `${n} samples cut to ${len} bytes: ${err}`);
        else assert.equal(err, null);
      }
    }
  });

  it('never throws on random bytes or random bit flips', () => {
    let x = 7;
    const rnd = () => {
      x = (x * 1103515245 + 12345) % 2 ** 31;
      return x / 2 ** 31;
    };
    const it = new XorIterator();
    const base = chunk(120);
    for (let k = 0; k < 2000; k++) {
      const b =
        k % 2 === 0 ? Uint8Array.from({ length: Math.floor(rnd() * 64) }, () => Math.floor(rnd() * 256)) : base.slice();
      if (k % 2 === 1)
        for (let f = 0; f < 1 + Math.floor(rnd() * 4); f++) {
          const at = Math.floor(rnd() * b.length);
          b[at] = (b[at] as number) ^ (1 << Math.floor(rnd() * 8));
        }
      const { err } = drain(b, it);
      assert.ok(err === null || err instanceof ChunkTruncatedError || err instanceof ChunkCorruptionError, String(err));
      assert.equal(it.seek(Number.MAX_SAFE_INTEGER), ValueType.None);
    }
  });

  it('forgets an error on reset', () => {
    const it = new XorIterator(bytesOf(0, 1));
    assert.equal(it.next(), ValueType.None);
    assert.ok(it.err() instanceof ChunkTruncatedError);
    assert.equal(it.seek(0), ValueType.None);
    it.reset(chunk(3));
    assert.equal(it.err(), null);
    assert.equal(drain(chunk(3), it).ts.length, 3);
  });
});
