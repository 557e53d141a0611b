/**
 * The record encoder, byte-compatible with Prometheus 2.42's `record.Encoder`.
 *
 * Each method returns a new array that the caller owns (so several records can be encoded before one
 * `Wal.log()`); the encoder reuses one scratch buffer to build them and keeps no other state between calls.
 * With `{ views: true }` a method returns a view of that scratch buffer instead, valid until the encoder's next
 * call: no array per record (the head's commit path logs one samples record per scrape, about 10 bytes a sample).
 * Timestamps are integers in ms (fractions truncated, values beyond int64 clamped; NaN throws RangeError).
 */
import { Encbuf } from './encbuf.ts';
import { copyFloat64FromBE, type SampleColumns } from './sample-batch.ts';
import {
  type Label,
  RecordType,
  type RefExemplar,
  type RefMetadata,
  type RefMmapMarker,
  type RefSeries,
  type Tombstone,
} from './types.ts';

export interface RecordEncoderOptions {
  /** Return views of the encoder's buffer (valid until its next call) rather than copies. @default false */
  views?: boolean;
}

export class RecordEncoder {
  private readonly buf = new Encbuf();
  private readonly f64 = new DataView(new ArrayBuffer(8));
  private readonly views: boolean;

  constructor(options: RecordEncoderOptions = {}) {
    this.views = options.views ?? false;
  }

  /** A Series record. Labels are written in the order given: sorted by name, as Prometheus requires. */
  series(series: readonly RefSeries[]): Uint8Array {
    const b = this.start(RecordType.Series);
    for (const s of series) {
      b.be64(s.ref);
      putLabels(b, s.labels);
    }
    return this.finish(b);
  }

  /**
   * A Samples record: the first sample's ref and timestamp in full, every sample as deltas to them.
   * Values are copied as bits from `samples.values`. No samples encode to the type byte alone.
   */
  samples(samples: SampleColumns): Uint8Array {
    const b = this.start(RecordType.Samples);
    const n = samples.length;
    if (n === 0) return this.finish(b);
    const { refs, timestampsMs, values } = samples;
    const baseRef = refs[0] as number;
    const baseTime = timestampsMs[0] as number;
    b.be64(baseRef);
    b.be64(baseTime);
    const bits = new Uint8Array(values.buffer, values.byteOffset, n * 8);
    for (let i = 0; i < n; i++) {
      b.varint((refs[i] as number) - baseRef);
      b.varint((timestampsMs[i] as number) - baseTime);
      b.ensure(8);
      copyFloat64FromBE(bits, i * 8, b.buf, b.len);
      b.len += 8;
    }
    return this.finish(b);
  }

  /** A Tombstones record. */
  tombstones(stones: readonly Tombstone[]): Uint8Array {
    const b = this.start(RecordType.Tombstones);
    for (const s of stones) {
      b.be64(s.ref);
      b.varint(s.mintMs);
      b.varint(s.maxtMs);
    }
    return this.finish(b);
  }

  /** An Exemplars record. */
  exemplars(exemplars: readonly RefExemplar[]): Uint8Array {
    const b = this.start(RecordType.Exemplars);
    const first = exemplars[0];
    if (first === undefined) return this.finish(b);
    b.be64(first.ref);
    b.be64(first.timestampMs);
    for (const e of exemplars) {
      b.varint(e.ref - first.ref);
      b.varint(e.timestampMs - first.timestampMs);
      this.f64.setFloat64(0, e.value, false);
      b.bytes(new Uint8Array(this.f64.buffer), 0, 8);
      putLabels(b, e.labels);
    }
    return this.finish(b);
  }

  /** An MmapMarkers record (out-of-order WBL). */
  mmapMarkers(markers: readonly RefMmapMarker[]): Uint8Array {
    const b = this.start(RecordType.MmapMarkers);
    for (const m of markers) {
      b.be64(m.ref);
      b.be64Big(m.mmapRef);
    }
    return this.finish(b);
  }

  /** A Metadata record with the two fields Prometheus writes, UNIT then HELP. */
  metadata(metadata: readonly RefMetadata[]): Uint8Array {
    const b = this.start(RecordType.Metadata);
    for (const m of metadata) {
      b.uvarint(m.ref);
      b.byte(m.type);
      b.uvarint(2);
      b.uvarintStr('UNIT');
      b.uvarintStr(m.unit);
      b.uvarintStr('HELP');
      b.uvarintStr(m.help);
    }
    return this.finish(b);
  }

  private finish(b: Encbuf): Uint8Array {
    // A plain Uint8Array view, not the Buffer get() returns: subarrays of a Buffer go through Node's slower path.
    return this.views ? new Uint8Array(b.buf.buffer, b.buf.byteOffset, b.len) : b.take();
  }

  private start(type: number): Encbuf {
    this.buf.reset();
    this.buf.byte(type);
    return this.buf;
  }
}

function putLabels(b: Encbuf, labels: readonly Label[]): void {
  b.uvarint(labels.length);
  for (const l of labels) {
    b.uvarintStr(l.name);
    b.uvarintStr(l.value);
  }
}
