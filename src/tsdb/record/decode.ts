/**
 * Decoders of the record types vigil reads, byte-compatible with Prometheus 2.42's `record.Decoder`.
 *
 * Each appends what `rec` holds to `out` and returns `null`, or returns an error and leaves `out` as it was:
 * a `RecordTypeError` when `rec` is not of the decoder's type (skip it), a `RecordDecodeError` when its bytes
 * are malformed. None throws, whatever the bytes. Strings are decoded as UTF-8, invalid sequences as U+FFFD.
 */
import { Decbuf } from './decbuf.ts';
import { RecordDecodeError, RecordTypeError } from './errors.ts';
import { copyFloat64FromBE, type SampleBatch } from './sample-batch.ts';
import {
  type Label,
  MAX_SERIES_REF,
  RecordType,
  type RefExemplar,
  type RefMetadata,
  type RefMmapMarker,
  type RefSeries,
  type Tombstone,
} from './types.ts';

export type DecodeResult = RecordDecodeError | RecordTypeError | null;

function open(rec: Uint8Array, expected: number): Decbuf | RecordTypeError {
  const t = rec[0];
  if (t === undefined) return new RecordTypeError(expected, -1);
  if (t !== expected) return new RecordTypeError(expected, t);
  const d = new Decbuf(rec);
  d.pos = 1;
  return d;
}

function failed(d: Decbuf, type: number): RecordDecodeError {
  return new RecordDecodeError(type, d.errOffset, d.err ?? 'unknown');
}

function labels(d: Decbuf): Label[] {
  const n = d.uvarint();
  // Each label takes at least two bytes: refuse counts the record cannot hold before allocating for them.
  if (n > d.remaining / 2) {
    d.fail('label count exceeds record');
    return [];
  }
  const out: Label[] = [];
  for (let i = 0; i < n && d.err === null; i++) {
    const name = d.uvarintStr();
    const value = d.uvarintStr();
    out.push({ name, value });
  }
  return out;
}

/** A Series record: for each series, `ref` (BE uint64) then its labels. */
export function decodeSeries(rec: Uint8Array, out: RefSeries[]): DecodeResult {
  const d = open(rec, RecordType.Series);
  if (d instanceof RecordTypeError) return d;
  const before = out.length;
  while (d.pos < d.end && d.err === null) {
    const ref = d.be64Ref();
    const lset = labels(d);
    if (d.err === null) out.push({ ref, labels: lset });
  }
  if (d.err !== null) {
    out.length = before;
    return failed(d, RecordType.Series);
  }
  return null;
}

/**
 * A Samples record into column storage: values are copied as bits (NaN payloads kept). This is the replay hot
 * path: no allocation per sample, and none at all when `out` has room.
 */
export function decodeSamples(rec: Uint8Array, out: SampleBatch): DecodeResult {
  const d = open(rec, RecordType.Samples);
  if (d instanceof RecordTypeError) return d;
  if (d.remaining === 0) return null;
  const before = out.length;
  const baseRef = d.be64Ref();
  const baseTime = d.be64Int();
  // At least 1 + 1 + 8 bytes per sample.
  out.reserve(Math.floor(d.remaining / 10));
  while (d.pos < d.end && d.err === null) {
    const ref = baseRef + d.varint();
    const t = baseTime + d.varint();
    if (d.err !== null) break;
    if (d.end - d.pos < 8) {
      d.fail('unexpected end of record in sample value');
      break;
    }
    if (ref < 0 || ref > MAX_SERIES_REF) {
      d.fail('series reference out of range');
      break;
    }
    if (out.length === out.capacity) out.reserve(1);
    const i = out.length++;
    out.refs[i] = ref;
    out.timestampsMs[i] = t;
    copyFloat64FromBE(rec, d.pos, out.valueBytes, i * 8);
    d.pos += 8;
  }
  if (d.err !== null) {
    out.length = before;
    return failed(d, RecordType.Samples);
  }
  return null;
}

/** A Tombstones record: one entry per deleted interval. */
export function decodeTombstones(rec: Uint8Array, out: Tombstone[]): DecodeResult {
  const d = open(rec, RecordType.Tombstones);
  if (d instanceof RecordTypeError) return d;
  const before = out.length;
  while (d.pos < d.end && d.err === null) {
    const ref = d.be64Ref();
    const mintMs = d.varint();
    const maxtMs = d.varint();
    if (d.err === null) out.push({ ref, mintMs, maxtMs });
  }
  if (d.err !== null) {
    out.length = before;
    return failed(d, RecordType.Tombstones);
  }
  return null;
}

/** An Exemplars record. */
export function decodeExemplars(rec: Uint8Array, out: RefExemplar[]): DecodeResult {
  const d = open(rec, RecordType.Exemplars);
  if (d instanceof RecordTypeError) return d;
  if (d.remaining === 0) return null;
  const before = out.length;
  const baseRef = d.be64Ref();
  const baseTime = d.be64Int();
  while (d.pos < d.end && d.err === null) {
    const ref = baseRef + d.varint();
    const timestampMs = baseTime + d.varint();
    const value = d.be64Float();
    const lset = labels(d);
    if (d.err !== null) break;
    if (ref < 0 || ref > MAX_SERIES_REF) {
      d.fail('series reference out of range');
      break;
    }
    out.push({ ref, timestampMs, value, labels: lset });
  }
  if (d.err !== null) {
    out.length = before;
    return failed(d, RecordType.Exemplars);
  }
  return null;
}

/** An MmapMarkers record (out-of-order WBL). */
export function decodeMmapMarkers(rec: Uint8Array, out: RefMmapMarker[]): DecodeResult {
  const d = open(rec, RecordType.MmapMarkers);
  if (d instanceof RecordTypeError) return d;
  const before = out.length;
  while (d.pos < d.end && d.err === null) {
    const ref = d.be64Ref();
    const mmapRef = d.be64BigUint();
    if (d.err === null) out.push({ ref, mmapRef });
  }
  if (d.err !== null) {
    out.length = before;
    return failed(d, RecordType.MmapMarkers);
  }
  return null;
}

/** A Metadata record. Fields other than UNIT and HELP are skipped, as Prometheus does. */
export function decodeMetadata(rec: Uint8Array, out: RefMetadata[]): DecodeResult {
  const d = open(rec, RecordType.Metadata);
  if (d instanceof RecordTypeError) return d;
  const before = out.length;
  while (d.pos < d.end && d.err === null) {
    const ref = d.uvarint();
    if (ref > MAX_SERIES_REF) {
      d.fail('series reference exceeds 2^53-1');
      break;
    }
    const type = d.byte();
    const fields = d.uvarint();
    if (fields > d.remaining / 2) {
      d.fail('field count exceeds record');
      break;
    }
    let unit = '';
    let help = '';
    for (let i = 0; i < fields && d.err === null; i++) {
      const name = d.uvarintStr();
      const value = d.uvarintStr();
      if (name === 'UNIT') unit = value;
      else if (name === 'HELP') help = value;
    }
    if (d.err === null) out.push({ ref, type, unit, help });
  }
  if (d.err !== null) {
    out.length = before;
    return failed(d, RecordType.Metadata);
  }
  return null;
}
