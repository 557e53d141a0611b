import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rng } from '../../model/testing.ts';
import { ChunkFullError, ChunkTimestampRangeError } from './errors.ts';
import { MAX_ABS_TIMESTAMP_MS, ValueType, XOR_MAX_SAMPLES, XorAppender, XorIterator } from './index.ts';

/** A sample with its value as raw IEEE-754 bits, so NaN payloads survive the test's own arrays. */
interface Sample {
  t: number;
  hi: number;
  lo: number;
}

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
const LO = 1 - HI;

function bitsOf(v: number): [number, number] {
  f64[0] = v;
  return [u32[HI] as number, u32[LO] as number];
}

const S = (t: number, v: number): Sample => {
  const [hi, lo] = bitsOf(v);
  return { t, hi, lo };
};
const B = (t: number, hi: number, lo: number): Sample => ({ t, hi: hi >>> 0, lo: lo >>> 0 });

function encode(samples: readonly Sample[], app = new XorAppender()): XorAppender {
  for (const s of samples) app.appendBits(s.t, s.hi, s.lo);
  return app;
}

function decode(bytes: Uint8Array, it = new XorIterator()): Sample[] {
  it.reset(bytes);
  const out: Sample[] = [];
  while (it.next() === ValueType.Float) out.push({ t: it.atT(), hi: it.atBitsHi(), lo: it.atBitsLo() });
  assert.equal(it.err(), null);
  return out;
}

const T0 = 1_700_000_000_000;
const STALE: [number, number] = [0x7ff00000, 2];

function regular(n: number, step: number, value: (i: number) => number): Sample[] {
  return Array.from({ length: n }, (_, i) => S(T0 + i * step, value(i)));
}

function jittered(n: number, seed: number, value: (i: number, r: () => number) => number): Sample[] {
  const r = rng(seed);
  let t = T0;
  return Array.from({ length: n }, (_, i) => {
    t += 15_000 + Math.floor(r() * 41) - 20;
    return S(t, value(i, r));
  });
}

const dodEdges = [0, 1, -1, 8192, -8191, 8193, -8192, 65536, -65535, 65537, -65536, 524288, -524287, 524289, -524288];

const cases: { name: string; samples: Sample[] }[] = [
  { name: 'one sample', samples: [S(T0, 1)] },
  { name: 'one sample at t=0 with value 0', samples: [S(0, 0)] },
  { name: 'two samples', samples: [S(T0, 1), S(T0 + 15_000, 2)] },
  { name: '120 samples, 15s apart, constant', samples: regular(120, 15_000, () => 42) },
  { name: '120 samples, 15s apart, counter', samples: regular(120, 15_000, (i) => i * 3 + (i % 7)) },
  { name: '120 jittered samples, random gauge', samples: jittered(120, 1, (_, r) => r() * 1000) },
  { name: '120 jittered samples, float counter', samples: jittered(120, 2, (i, r) => i * 0.25 + r()) },
  {
    name: 'irregular intervals',
    samples: [1, 5, 5, 1000, 1001, 60_000, 60_001, 3].map((d, i) => S(T0 + d * (i + 1), i)),
  },
  { name: 'zero deltas', samples: [S(T0, 1), S(T0, 2), S(T0, 3), S(T0 + 1, 4), S(T0 + 1, 5)] },
  { name: 'negative first delta', samples: [S(T0, 1), S(T0 - 15_000, 2), S(T0 - 30_000, 3)] },
  {
    name: 'negative deltas of deltas',
    samples: [0, 15_000, 20_000, 21_000, 10_000, -5_000].map((d, i) => S(T0 + d, i)),
  },
  {
    name: 'every delta-of-delta bucket edge',
    samples: (() => {
      const out = [S(T0, 0), S(T0 + 1_000_000, 0)];
      let delta = 1_000_000;
      for (const dod of dodEdges) {
        delta += dod;
        out.push(S((out.at(-1) as Sample).t + delta, out.length));
      }
      return out;
    })(),
  },
  {
    name: 'huge jumps needing the 64-bit bucket',
    samples: [0, 1, 2 ** 40, 2 ** 40 + 5, -(2 ** 45), 2 ** 50, 2 ** 50 + 1].map((t, i) => S(t, i)),
  },
  {
    name: 'timestamps at ±2^51',
    samples: [-MAX_ABS_TIMESTAMP_MS, MAX_ABS_TIMESTAMP_MS, -MAX_ABS_TIMESTAMP_MS, MAX_ABS_TIMESTAMP_MS].map((t) =>
      S(t, 1),
    ),
  },
  {
    name: 'every XOR value case',
    samples: [
      1, // first value, raw
      1, // XOR zero
      2, // new window: 0x7ff0000000000000, 11 significant bits, 52 trailing
      3, // XOR 0x0008000000000000 fits the window: reused
      -3, // sign bit only: leading 0, 63 trailing
      -3.0000000000000004, // XOR 1: 63 leading zeros written as 31, 33 significant bits
      1, // new window
      -1.0000000000000002, // XOR 0x8000000000000001: 64 significant bits, written as 0
      -1.0000000000000002,
      0.1,
      0.2,
      0.30000000000000004,
    ].map((v, i) => S(T0 + i * 1000, v)),
  },
  {
    name: 'special floats',
    samples: [
      Infinity,
      -Infinity,
      -0,
      0,
      Number.MAX_VALUE,
      Number.MIN_VALUE,
      -Number.MIN_VALUE,
      1e-310,
      Number.NaN,
    ].map((v, i) => S(T0 + i, v)),
  },
  {
    name: 'NaN payloads, bit-exact',
    samples: [
      B(T0, 0, 0),
      B(T0 + 1, ...STALE), // staleness marker
      B(T0 + 2, 0x7ff80000, 1), // Go's math.NaN()
      B(T0 + 3, 0x7ff80000, 0), // JS NaN
      B(T0 + 4, 0xfff80000, 0), // negative quiet NaN
      B(T0 + 5, 0x7ff00000, 0x1234), // signalling NaN with payload
      B(T0 + 6, 0x7fffffff, 0xffffffff),
      B(T0 + 7, 0xffffffff, 0xffffffff),
      B(T0 + 8, 0x7ff80000, 2), // a quieted staleness marker, stored as given by appendBits
      B(T0 + 9, ...STALE),
      B(T0 + 10, ...STALE),
    ],
  },
  {
    name: 'stale markers between values',
    samples: jittered(60, 3, (i, r) => (i % 10 === 9 ? Number.NaN : r() * 10)).map((s, i) =>
      i % 10 === 9 ? B(s.t, ...STALE) : s,
    ),
  },
];

describe('XOR chunk round trips', () => {
  for (const c of cases) {
    it(c.name, () => {
      const app = encode(c.samples);
      assert.equal(app.numSamples(), c.samples.length);
      const bytes = app.bytes();
      assert.equal((bytes[0] as number) * 256 + (bytes[1] as number), c.samples.length);
      assert.deepEqual(decode(bytes), c.samples);
    });
  }

  it('starts as the 2-byte empty chunk that decodes to nothing', () => {
    const app = new XorAppender();
    assert.deepEqual([...app.bytes()], [0, 0]);
    assert.equal(app.numSamples(), 0);
    const it = new XorIterator(app.bytes());
    assert.equal(it.next(), ValueType.None);
    assert.equal(it.err(), null);
  });

  it('writes what Prometheus wrote for one and two samples (from promtool)', () => {
    const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
    // A one-sample chunk ends in the empty byte Prometheus' bit stream leaves after whole bytes.
    assert.equal(hex(encode([S(1_000_000, 1)]).bytes()), '000180897a3ff000000000000000');
    assert.equal(hex(encode([S(1_000_000, 1), S(1_015_000, 2)]).bytes()), '000280897a3ff00000000000009875c25fff');
  });

  it('takes values through append() and at() as floats', () => {
    const values = [0, -0, 1.5, -2.25, Infinity, -Infinity, 1e300, Number.MIN_VALUE];
    const app = new XorAppender();
    for (const [i, v] of values.entries()) app.append(T0 + i, v);
    const it = new XorIterator(app.bytes());
    const got: number[] = [];
    while (it.next()) got.push(it.at());
    assert.deepEqual(got, values);
    assert.ok(Object.is(got[1], -0));
  });

  it('stores NaN payloads given to append() bit-exact, writing a quieted staleness marker as the marker', () => {
    const mk = (hi: number, lo: number) => {
      u32[HI] = hi;
      u32[LO] = lo;
      return f64[0] as number;
    };
    const app = new XorAppender();
    app.append(T0, mk(0x7ff00000, 2));
    app.append(T0 + 1, mk(0x7ff80000, 1));
    app.append(T0 + 2, mk(0xfff80000, 0xabc));
    app.append(T0 + 3, mk(0x7ff80000, 2));
    assert.deepEqual(decode(app.bytes()), [
      B(T0, 0x7ff00000, 2),
      B(T0 + 1, 0x7ff80000, 1),
      B(T0 + 2, 0xfff80000, 0xabc),
      B(T0 + 3, 0x7ff00000, 2),
    ]);
    const it = new XorIterator(app.bytes());
    it.next();
    assert.ok(Number.isNaN(it.at()));
  });

  it('reuses one iterator across chunks of different lengths', () => {
    const it = new XorIterator();
    assert.equal(it.next(), ValueType.None);
    for (const c of [...cases, ...cases.slice().reverse()])
      assert.deepEqual(decode(encode(c.samples).bytes(), it), c.samples);
  });

  it('resets an appender to an empty chunk that encodes like a new one', () => {
    const app = new XorAppender(8);
    for (const c of cases) {
      app.reset();
      assert.deepEqual([...app.bytes()], [0, 0]);
      assert.deepEqual([...encode(c.samples, app).bytes()], [...encode(c.samples).bytes()], c.name);
    }
  });
});

describe('XorAppender buffer sizing', () => {
  for (const c of cases) {
    it(`writes the same bytes with a size hint: ${c.name}`, () => {
      const hinted = encode(c.samples, new XorAppender(64, 120));
      assert.deepEqual([...hinted.bytes()], [...encode(c.samples).bytes()]);
    });
  }

  it('grows a hinted buffer once to about the size of the expected samples', () => {
    const samples = jittered(120, 3, (i) => 1e6 + i * 12.5);
    const plain = encode(samples);
    const hinted = new XorAppender(64, 120);
    const sizes = new Set<number>();
    for (const s of samples) {
      hinted.appendBits(s.t, s.hi, s.lo);
      sizes.add(hinted.capacityBytes());
    }
    const bytes = hinted.bytes().length;
    assert.equal(bytes, plain.bytes().length);
    assert.equal(sizes.size, 2, `buffer sizes ${[...sizes].join(', ')}`);
    assert.ok(hinted.capacityBytes() <= bytes * 1.3 + 24, `capacity ${hinted.capacityBytes()} for ${bytes} bytes`);
  });

  it('keeps growing by half past the expected samples', () => {
    const app = new XorAppender(64, 10);
    const samples = jittered(500, 3, (_, r) => r());
    encode(samples, app);
    assert.deepEqual(decode(app.bytes()), samples);
  });
});

describe('XorAppender.open continues an existing chunk', () => {
  for (const c of cases.filter((c) => c.samples.length >= 2)) {
    it(c.name, () => {
      const whole = encode(c.samples).bytes();
      const splits = new Set([1, 2, 3, c.samples.length - 1, Math.floor(c.samples.length / 2)]);
      for (const k of splits) {
        if (k < 1 || k >= c.samples.length) continue;
        const first = encode(c.samples.slice(0, k)).bytes().slice();
        const app = XorAppender.open(first);
        assert.equal(app.numSamples(), k);
        assert.deepEqual([...app.bytes()], [...first], `reopened ${k} samples unchanged`);
        encode(c.samples.slice(k), app);
        assert.deepEqual([...app.bytes()], [...whole], `split at ${k}`);
      }
    });
  }

  it('reads and continues a chunk whose first XOR reuses the 0-wide starting window, as Prometheus may write', () => {
    // Prometheus' XORChunk.Appender() on a one-sample chunk starts with window L = T = 0, so the second value is
    // '10' + all 64 XOR bits. Here: (0 ms, 1.0) then (1 ms, 2.0): XOR 0x7ff0000000000000.
    const bits = `${'0'.repeat(14)}10 00000000 0011111111110000${'0'.repeat(48)} 00000001 10 0111111111110000${'0'.repeat(48)}`;
    const s = bits.replaceAll(' ', '');
    const bytes = new Uint8Array(Math.ceil(s.length / 8));
    for (let i = 0; i < s.length; i++) if (s[i] === '1') bytes[i >> 3] = (bytes[i >> 3] as number) | (0x80 >> (i & 7));
    assert.deepEqual(decode(bytes), [S(0, 1), S(1, 2)]);
    const app = XorAppender.open(bytes);
    app.append(2, 3);
    assert.deepEqual([...app.bytes()], [...encode([S(0, 1), S(1, 2), S(2, 3)]).bytes()]);
  });

  it('opens an empty chunk', () => {
    const app = XorAppender.open(new Uint8Array([0, 0]));
    app.append(T0, 7);
    assert.deepEqual([...app.bytes()], [...encode([S(T0, 7)]).bytes()]);
  });

  it('does not modify the bytes it opened', () => {
    const bytes = encode(cases[5]?.samples ?? [])
      .bytes()
      .slice();
    const copy = bytes.slice();
    XorAppender.open(bytes).append(T0 * 2, 1);
    assert.deepEqual(bytes, copy);
  });
});

describe('XorAppender rejects', () => {
  const bad = [0.5, Number.NaN, Infinity, MAX_ABS_TIMESTAMP_MS + 1, -MAX_ABS_TIMESTAMP_MS - 1, 2 ** 60];
  for (const t of bad) {
    it(`timestamp ${t}, leaving the chunk unchanged`, () => {
      const app = encode([S(T0, 1)]);
      const before = app.bytes().slice();
      assert.throws(
        () => app.append(t, 2),
        (e: unknown) => e instanceof ChunkTimestampRangeError && e.code === 'CHUNK_TIMESTAMP_RANGE',
      );
      assert.deepEqual(app.bytes(), before);
      assert.equal(app.numSamples(), 1);
    });
  }

  it('a sample past 65535', () => {
    const app = new XorAppender();
    for (let i = 0; i < XOR_MAX_SAMPLES; i++) app.append(i * 15_000, i % 3);
    assert.throws(() => app.append(XOR_MAX_SAMPLES * 15_000, 1), ChunkFullError);
    assert.equal(app.numSamples(), XOR_MAX_SAMPLES);
    const it = new XorIterator(app.bytes());
    let n = 0;
    while (it.next()) n++;
    assert.equal(n, XOR_MAX_SAMPLES);
  });
});

describe('XorIterator.seek', () => {
  const samples = regular(10, 1000, (i) => i); // t = T0, T0+1000, … T0+9000
  const bytes = encode(samples).bytes();
  const table: { name: string; steps: (['next'] | ['seek', number])[]; want: (number | null)[] }[] = [
    { name: 'before the first sample finds the first', steps: [['seek', 0]], want: [T0] },
    { name: 'an exact timestamp', steps: [['seek', T0 + 3000]], want: [T0 + 3000] },
    { name: 'between samples finds the next', steps: [['seek', T0 + 3500]], want: [T0 + 4000] },
    { name: 'the last sample', steps: [['seek', T0 + 9000]], want: [T0 + 9000] },
    { name: 'past the end exhausts', steps: [['seek', T0 + 9001], ['next']], want: [null, null] },
    {
      name: 'backwards stays put',
      steps: [
        ['seek', T0 + 5000],
        ['seek', T0],
      ],
      want: [T0 + 5000, T0 + 5000],
    },
    {
      name: 'after next',
      steps: [['next'], ['next'], ['seek', T0 + 1000], ['seek', T0 + 1001]],
      want: [T0, T0 + 1000, T0 + 1000, T0 + 2000],
    },
    {
      name: 'then next continues',
      steps: [['seek', T0 + 7000], ['next'], ['next'], ['next']],
      want: [T0 + 7000, T0 + 8000, T0 + 9000, null],
    },
  ];
  for (const c of table) {
    it(c.name, () => {
      const it = new XorIterator(bytes);
      const got = c.steps.map((s) => {
        const vt = s[0] === 'next' ? it.next() : it.seek(s[1]);
        return vt === ValueType.Float ? it.atT() : null;
      });
      assert.deepEqual(got, c.want);
      assert.equal(it.err(), null);
    });
  }

  it('finds nothing in an empty chunk', () => {
    assert.equal(new XorIterator(new Uint8Array([0, 0])).seek(0), ValueType.None);
  });

  it('values follow the sample it lands on', () => {
    const it = new XorIterator(bytes);
    it.seek(T0 + 6500);
    assert.equal(it.at(), 7);
  });
});
