import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  decodeExemplars,
  decodeMetadata,
  decodeMmapMarkers,
  decodeSamples,
  decodeSeries,
  decodeTombstones,
  MAX_SERIES_REF,
  MetricTypeCode,
  RecordDecodeError,
  RecordEncoder,
  RecordType,
  RecordTypeError,
  type RefExemplar,
  type RefMetadata,
  type RefMmapMarker,
  type RefSeries,
  recordType,
  recordTypeName,
  SampleBatch,
  type Tombstone,
} from './index.ts';

const hex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/[\s|]/g, ''), 'hex'));
const ascii = (s: string) => Buffer.from(s, 'latin1').toString('hex');

/** Sets value `i` of `batch` from a 16-hex-digit bit pattern. */
function appendBits(batch: SampleBatch, ref: number, t: number, bits: string): void {
  batch.appendBits(ref, t, Number.parseInt(bits.slice(0, 8), 16), Number.parseInt(bits.slice(8), 16));
}
function bitsOf(batch: SampleBatch, i: number): string {
  return (
    (batch.valueHighBits(i) >>> 0).toString(16).padStart(8, '0') + batch.valueLowBits(i).toString(16).padStart(8, '0')
  );
}

const enc = new RecordEncoder();

// Bytes written out by hand from docs/format/wal.md (and Prometheus 2.42's record.go), not by the encoder.
const golden: { name: string; bytes: string; encode: () => Uint8Array }[] = [
  {
    name: 'series',
    bytes: `01 | 0000000000000001 | 02 | 08 ${ascii('__name__')} 02 ${ascii('up')} | 03 ${ascii('job')} 01 ${ascii('a')}`,
    encode: () =>
      enc.series([
        {
          ref: 1,
          labels: [
            { name: '__name__', value: 'up' },
            { name: 'job', value: 'a' },
          ],
        },
      ]),
  },
  {
    name: 'samples with a staleness marker and negative deltas',
    bytes:
      '02 | 0000000000000005 | 00000000000003e8 | 00 00 3ff0000000000000 | 02 1e 7ff0000000000002 | 01 13 c004000000000000',
    encode: () => {
      const b = new SampleBatch(1);
      b.append(5, 1000, 1);
      appendBits(b, 6, 1015, '7ff0000000000002');
      b.append(4, 990, -2.5);
      return enc.samples(b);
    },
  },
  { name: 'no samples', bytes: '02', encode: () => enc.samples(new SampleBatch()) },
  {
    name: 'tombstones over all time',
    bytes: '03 | 0000000000000003 | ffffffffffffffffff01 | feffffffffffffffff01',
    encode: () => enc.tombstones([{ ref: 3, mintMs: -(2 ** 63), maxtMs: 2 ** 63 }]),
  },
  {
    name: 'exemplars',
    bytes: `04 | 0000000000000002 | 0000000000000064 | 00 00 3fe0000000000000 01 08 ${ascii('trace_id')} 01 ${ascii('x')}`,
    encode: () => enc.exemplars([{ ref: 2, timestampMs: 100, value: 0.5, labels: [{ name: 'trace_id', value: 'x' }] }]),
  },
  {
    name: 'mmap markers',
    bytes: '05 | 0000000000000001 | 0000000200000005',
    encode: () => enc.mmapMarkers([{ ref: 1, mmapRef: (2n << 32n) | 5n }]),
  },
  {
    name: 'metadata',
    bytes: `06 | ac02 | 01 | 02 | 04 ${ascii('UNIT')} 07 ${ascii('seconds')} 04 ${ascii('HELP')} 01 ${ascii('h')}`,
    encode: () => enc.metadata([{ ref: 300, type: MetricTypeCode.counter, unit: 'seconds', help: 'h' }]),
  },
];

describe('record encoding', () => {
  for (const g of golden) {
    it(`writes Prometheus' bytes: ${g.name}`, () => {
      assert.equal(Buffer.from(g.encode()).toString('hex'), Buffer.from(hex(g.bytes)).toString('hex'));
    });
  }

  it('returns arrays the caller owns', () => {
    const a = enc.tombstones([{ ref: 1, mintMs: 0, maxtMs: 1 }]);
    const b = enc.tombstones([{ ref: 2, mintMs: 0, maxtMs: 1 }]);
    assert.notEqual(a[8], b[8]);
  });

  it('returns views of its buffer with { views: true }, the same bytes as copies', () => {
    const views = new RecordEncoder({ views: true });
    const samples = { length: 2, refs: [1, 2], timestampsMs: [10, 20], values: new Float64Array([0.5, 1.5]) };
    const a = views.samples(samples);
    assert.equal(Buffer.from(a).toString('hex'), Buffer.from(enc.samples(samples)).toString('hex'));
    const b = views.tombstones([{ ref: 2, mintMs: 0, maxtMs: 1 }]);
    assert.equal(a.buffer, b.buffer, 'one buffer for both records');
    assert.equal(
      Buffer.from(b).toString('hex'),
      Buffer.from(enc.tombstones([{ ref: 2, mintMs: 0, maxtMs: 1 }])).toString('hex'),
    );
  });

  it('refuses NaN timestamps', () => {
    assert.throws(() => enc.tombstones([{ ref: 1, mintMs: Number.NaN, maxtMs: 0 }]), RangeError);
  });
});

describe('record decoding', () => {
  it('reads the golden series record', () => {
    const out: RefSeries[] = [];
    assert.equal(decodeSeries(hex(golden[0]?.bytes ?? ''), out), null);
    assert.deepEqual(out, [
      {
        ref: 1,
        labels: [
          { name: '__name__', value: 'up' },
          { name: 'job', value: 'a' },
        ],
      },
    ]);
  });

  it('reads the golden samples record, keeping the NaN payload bit for bit', () => {
    const b = new SampleBatch(1);
    assert.equal(decodeSamples(hex(golden[1]?.bytes ?? ''), b), null);
    assert.equal(b.length, 3);
    assert.deepEqual([...b.refs.subarray(0, 3)], [5, 6, 4]);
    assert.deepEqual([...b.timestampsMs.subarray(0, 3)], [1000, 1015, 990]);
    assert.deepEqual(
      [bitsOf(b, 0), bitsOf(b, 1), bitsOf(b, 2)],
      ['3ff0000000000000', '7ff0000000000002', 'c004000000000000'],
    );
    assert.equal(b.values[0], 1);
    assert.ok(Number.isNaN(b.values[1]));
  });

  it('reads tombstones with all-time bounds as ±2^63', () => {
    const out: Tombstone[] = [];
    assert.equal(decodeTombstones(hex(golden[3]?.bytes ?? ''), out), null);
    assert.deepEqual(out, [{ ref: 3, mintMs: -(2 ** 63), maxtMs: 2 ** 63 }]);
    assert.deepEqual(enc.tombstones(out), hex(golden[3]?.bytes ?? ''));
  });

  it('reads exemplars, mmap markers and metadata', () => {
    const ex: RefExemplar[] = [];
    assert.equal(decodeExemplars(hex(golden[4]?.bytes ?? ''), ex), null);
    assert.deepEqual(ex, [{ ref: 2, timestampMs: 100, value: 0.5, labels: [{ name: 'trace_id', value: 'x' }] }]);
    const mm: RefMmapMarker[] = [];
    assert.equal(decodeMmapMarkers(hex(golden[5]?.bytes ?? ''), mm), null);
    assert.deepEqual(mm, [{ ref: 1, mmapRef: 0x200000005n }]);
    const md: RefMetadata[] = [];
    assert.equal(decodeMetadata(hex(golden[6]?.bytes ?? ''), md), null);
    assert.deepEqual(md, [{ ref: 300, type: 1, unit: 'seconds', help: 'h' }]);
  });

  it('skips metadata fields it does not know', () => {
    const rec = hex(
      `06 05 02 03 | 04 ${ascii('UNIT')} 01 ${ascii('s')} | 03 ${ascii('FOO')} 00 | 04 ${ascii('HELP')} 00`,
    );
    const md: RefMetadata[] = [];
    assert.equal(decodeMetadata(rec, md), null);
    assert.deepEqual(md, [{ ref: 5, type: 2, unit: 's', help: '' }]);
  });

  it('round-trips many samples, negative timestamps and refs up to 2^53-1', () => {
    const b = new SampleBatch(4);
    const refs = [MAX_SERIES_REF, 0, 1, MAX_SERIES_REF - 1, 12345];
    for (let i = 0; i < 10_000; i++) {
      b.append(refs[i % refs.length] as number, -5_000_000 + i * 15_000 + (i % 7) * 13, i % 3 ? i * 0.1 : -i);
    }
    appendBits(b, 7, 1_700_000_000_000, '7ff0000000000002');
    appendBits(b, 7, 1_700_000_000_001, 'fff8000000000001');
    const rec = enc.samples(b);
    const got = new SampleBatch(1);
    got.append(99, 99, 99);
    assert.equal(decodeSamples(rec, got), null);
    assert.equal(got.length, b.length + 1, 'appends to what the batch held');
    for (let i = 0; i < b.length; i++) {
      assert.equal(got.refs[i + 1], b.refs[i]);
      assert.equal(got.timestampsMs[i + 1], b.timestampsMs[i]);
      assert.equal(bitsOf(got, i + 1), bitsOf(b, i));
    }
  });

  it('round-trips series with UTF-8, empty values and many labels', () => {
    const series: RefSeries[] = [];
    for (let i = 0; i < 300; i++) {
      const labels = [{ name: '__name__', value: `m_${i}` }];
      for (let j = 0; j < (i % 40) + 1; j++)
        labels.push({ name: `l${String(j).padStart(2, '0')}`, value: j % 5 ? 'värde ✓' : '' });
      series.push({ ref: i * 1000 + 1, labels });
    }
    const out: RefSeries[] = [];
    assert.equal(decodeSeries(enc.series(series), out), null);
    assert.deepEqual(out, series);
  });

  it('answers a typed error for other and unknown types, and classifies types', () => {
    const samples = enc.samples(new SampleBatch());
    const r = decodeSeries(samples, []);
    assert.ok(r instanceof RecordTypeError);
    assert.equal(r.code, 'RECORD_TYPE');
    assert.equal(r.expected, RecordType.Series);
    assert.equal(r.actual, RecordType.Samples);
    const empty = decodeSamples(new Uint8Array(0), new SampleBatch());
    assert.ok(empty instanceof RecordTypeError);
    assert.equal(empty.actual, -1);
    assert.equal(recordType(new Uint8Array([7, 1, 2])), RecordType.HistogramSamples);
    assert.equal(recordType(new Uint8Array([42])), RecordType.Unknown);
    assert.equal(recordType(new Uint8Array(0)), RecordType.Unknown);
    assert.equal(recordTypeName(RecordType.FloatHistogramSamples), 'float_histogram_samples');
    assert.equal(recordTypeName(200), 'unknown');
  });

  it('refuses series references beyond 2^53-1 with the offset', () => {
    const r = decodeSeries(hex('01 | 0020000000000000 | 00'), []);
    assert.ok(r instanceof RecordDecodeError);
    assert.equal(r.offset, 1);
    assert.match(r.message, /series reference exceeds 2\^53-1 at byte 1/);
    const s = decodeSamples(
      hex('02 | 001fffffffffffff | 0000000000000000 | 02 00 0000000000000000'),
      new SampleBatch(),
    );
    assert.ok(s instanceof RecordDecodeError);
    assert.match(s.reason, /out of range/);
  });

  it('reports varint overflow and lengths beyond the record', () => {
    const over = decodeTombstones(hex('03 | 0000000000000001 | ffffffffffffffffff02 | 00'), []);
    assert.ok(over instanceof RecordDecodeError);
    assert.match(over.reason, /overflows/);
    const long = decodeSeries(hex('01 | 0000000000000001 | 01 | 05 6162'), []);
    assert.ok(long instanceof RecordDecodeError);
    assert.match(long.reason, /exceeds record/);
  });

  it('never throws on truncated or random bytes, and leaves the output as it was on error', () => {
    const valid = [
      ...golden.map((g) => g.encode()),
      enc.series([{ ref: 9, labels: [{ name: 'a', value: 'b'.repeat(200) }] }]),
    ];
    let seed = 42;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed;
    };
    const inputs: Uint8Array[] = [];
    for (const v of valid) for (let n = 0; n <= v.length; n++) inputs.push(v.subarray(0, n));
    for (let i = 0; i < 3000; i++) {
      const r = new Uint8Array(1 + (rand() % 64));
      for (let j = 0; j < r.length; j++) r[j] = rand() & 0xff;
      r[0] = 1 + (rand() % 6);
      inputs.push(r);
    }
    for (const rec of inputs) {
      const series: RefSeries[] = [{ ref: 0, labels: [] }];
      const batch = new SampleBatch(2);
      batch.append(1, 2, 3);
      const lists: unknown[][] = [[1], [1], [1], [1]];
      const decoders = [
        () => [decodeSeries(rec, series), series.length] as const,
        () => [decodeSamples(rec, batch), batch.length] as const,
        () => [decodeTombstones(rec, lists[0] as Tombstone[]), lists[0]?.length] as const,
        () => [decodeExemplars(rec, lists[1] as RefExemplar[]), lists[1]?.length] as const,
        () => [decodeMmapMarkers(rec, lists[2] as RefMmapMarker[]), lists[2]?.length] as const,
        () => [decodeMetadata(rec, lists[3] as RefMetadata[]), lists[3]?.length] as const,
      ];
      for (const decode of decoders) {
        const [res, length] = decode();
        assert.ok(res === null || res instanceof RecordDecodeError || res instanceof RecordTypeError);
        if (res !== null) assert.equal(length, 1, `${res.message}: output changed`);
      }
    }
  });
});
