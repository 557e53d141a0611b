/**
 * Constants of the index file, format version 2, as docs/format/index.md draws them, and its table of contents.
 */
import { crc32c } from '../encoding/crc32c.ts';
import { Decbuf, type Encbuf } from './encoding.ts';
import { BlockCorruptionError } from './errors.ts';

/** Name of the index file in a block directory. */
export const INDEX_FILENAME = 'index';
/** First 4 bytes of an index file, big-endian. */
export const INDEX_MAGIC = 0xbaaad700;
/** The format version vigil writes and reads (Prometheus 2.x writes it too). */
export const INDEX_VERSION = 2;
/** Magic plus version byte. */
export const INDEX_HEADER_BYTES = 5;
/** Six 8-byte section offsets and a CRC32C. */
export const INDEX_TOC_BYTES = 6 * 8 + 4;
/** Series entries start at multiples of this; a series ref is its entry's offset divided by it. */
export const SERIES_ALIGNMENT = 16;
/** Label index and postings sections start at multiples of this. */
export const LIST_ALIGNMENT = 4;
/** Keys in the label offset table (a name) and the postings offset table (name and value). */
export const LABEL_TABLE_KEYS = 1;
export const POSTINGS_TABLE_KEYS = 2;
/** Series refs are 4-byte numbers in postings lists, so series must start below 16 × 2^32 bytes. */
export const MAX_INDEX_BYTES = SERIES_ALIGNMENT * 2 ** 32;

/** Offsets of the index sections; 0 means the section is absent. */
export interface Toc {
  symbols: number;
  series: number;
  labelIndices: number;
  labelIndicesTable: number;
  postings: number;
  postingsTable: number;
}

export function encodeToc(e: Encbuf, toc: Toc): void {
  const start = e.len;
  e.be64(toc.symbols);
  e.be64(toc.series);
  e.be64(toc.labelIndices);
  e.be64(toc.labelIndicesTable);
  e.be64(toc.postings);
  e.be64(toc.postingsTable);
  e.be32(crc32c(e.buf, start, e.len));
}

/** Reads and checks the TOC at the end of `b`; every offset must lie inside the file. */
export function decodeToc(b: Buffer, file: string): Toc {
  const start = b.length - INDEX_TOC_BYTES;
  if (start < INDEX_HEADER_BYTES) throw new BlockCorruptionError(file, 0, `file of ${b.length} bytes is too short`);
  const crcAt = b.length - 4;
  if (crc32c(b, start, crcAt) !== b.readUInt32BE(crcAt)) {
    throw new BlockCorruptionError(file, start, 'checksum mismatch in table of contents');
  }
  const d = new Decbuf(b, start, crcAt);
  const toc: Toc = {
    symbols: d.be64(),
    series: d.be64(),
    labelIndices: d.be64(),
    labelIndicesTable: d.be64(),
    postings: d.be64(),
    postingsTable: d.be64(),
  };
  d.check(file, 'table of contents');
  for (const [name, off] of Object.entries(toc)) {
    if (off >= start)
      throw new BlockCorruptionError(file, start, `table of contents: ${name} offset ${off} past the end`);
  }
  return toc;
}
