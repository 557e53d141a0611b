/**
 * The tombstones file of a block: time ranges deleted from series, by series ref (docs/format/tombstones.md).
 * `magic <4b> | version <1b> | (ref <uvarint>, mint <varint>, maxt <varint>)… | CRC32C <4b>`, the checksum
 * covering the entries (not the version byte). A fresh block has one with no entries; a missing file reads as
 * no tombstones, as in Prometheus.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32c } from '../encoding/crc32c.ts';
import { Decbuf, Encbuf } from './encoding.ts';
import { BlockCorruptionError } from './errors.ts';
import { writeFileAtomic } from './fileutil.ts';

export const TOMBSTONES_FILENAME = 'tombstones';
export const TOMBSTONES_MAGIC = 0x0130ba30;
export const TOMBSTONES_VERSION = 1;
/** Magic and version byte. */
export const TOMBSTONES_HEADER_BYTES = 5;
export const TOMBSTONES_CRC_BYTES = 4;

/** A deleted time range, Unix milliseconds, both ends inclusive. */
export interface Interval {
  mint: number;
  maxt: number;
}

/** Deleted ranges by series ref; each list sorted, not overlapping, not adjacent. */
export type Tombstones = ReadonlyMap<number, readonly Interval[]>;

/** The bytes of a tombstones file. Entries are written by increasing ref. */
export function encodeTombstones(stones: Tombstones): Buffer {
  const e = new Encbuf(64);
  e.be32(TOMBSTONES_MAGIC);
  e.byte(TOMBSTONES_VERSION);
  for (const ref of [...stones.keys()].sort((a, b) => a - b)) {
    for (const iv of stones.get(ref) ?? []) {
      e.uvarint(ref);
      e.varint(iv.mint);
      e.varint(iv.maxt);
    }
  }
  e.be32(crc32c(e.buf, TOMBSTONES_HEADER_BYTES, e.len));
  return Buffer.from(e.get());
}

/** Parses a tombstones file; `file` names it in errors. Throws BlockCorruptionError. */
export function decodeTombstones(b: Buffer, file: string): Map<number, Interval[]> {
  if (b.length < TOMBSTONES_HEADER_BYTES + TOMBSTONES_CRC_BYTES) {
    throw new BlockCorruptionError(file, 0, `file of ${b.length} bytes is too short`);
  }
  const magic = b.readUInt32BE(0);
  if (magic !== TOMBSTONES_MAGIC)
    throw new BlockCorruptionError(file, 0, `invalid magic number 0x${magic.toString(16)}`);
  if (b[4] !== TOMBSTONES_VERSION) throw new BlockCorruptionError(file, 4, `unsupported tombstones version ${b[4]}`);
  const end = b.length - TOMBSTONES_CRC_BYTES;
  if (crc32c(b, TOMBSTONES_HEADER_BYTES, end) !== b.readUInt32BE(end)) {
    throw new BlockCorruptionError(file, TOMBSTONES_HEADER_BYTES, 'checksum mismatch in tombstones');
  }
  const out = new Map<number, Interval[]>();
  const d = new Decbuf(b, TOMBSTONES_HEADER_BYTES, end);
  while (d.remaining > 0) {
    const ref = d.uvarint();
    const mint = d.varint();
    const maxt = d.varint();
    if (d.err !== null) break;
    out.set(ref, addInterval(out.get(ref) ?? [], { mint, maxt }));
  }
  d.check(file, 'tombstone entry');
  return out;
}

/** Reads `dir/tombstones`; no file means no tombstones. Throws BlockCorruptionError, or the fs error. */
export async function readTombstones(dir: string): Promise<Map<number, Interval[]>> {
  const file = join(dir, TOMBSTONES_FILENAME);
  let b: Buffer;
  try {
    b = await readFile(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw err;
  }
  return decodeTombstones(b, file);
}

/** Writes `dir/tombstones` atomically (temporary file, fsync, rename). Returns its size in bytes. */
export async function writeTombstones(dir: string, stones: Tombstones): Promise<number> {
  const b = encodeTombstones(stones);
  await writeFileAtomic(join(dir, TOMBSTONES_FILENAME), b);
  return b.length;
}

/**
 * `list` with `iv` added: overlapping or adjacent intervals (closed ranges of integer milliseconds) merge into
 * one. `list` must be sorted and merged; it is not changed.
 */
export function addInterval(list: readonly Interval[], iv: Interval): Interval[] {
  const out: Interval[] = [];
  let cur = { ...iv };
  let placed = false;
  for (const x of list) {
    if (x.maxt < cur.mint - 1) out.push(x);
    else if (x.mint > cur.maxt + 1) {
      if (!placed) out.push(cur);
      placed = true;
      out.push(x);
    } else cur = { mint: Math.min(x.mint, cur.mint), maxt: Math.max(x.maxt, cur.maxt) };
  }
  if (!placed) out.push(cur);
  return out;
}
