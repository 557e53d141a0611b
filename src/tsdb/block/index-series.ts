/** Decoding one series entry of an index file: its labels (as symbol refs) and its chunk metas. */
import { Labels } from '../../model/index.ts';
import { type Decbuf, uvarintSectionAt } from './encoding.ts';
import { SERIES_ALIGNMENT } from './index-format.ts';
import type { ChunkMeta, IndexSeries } from './types.ts';

/**
 * Reads the series with ref `ref` (its entry starts at byte ref × 16), checking the entry's checksum and every
 * symbol ref. Throws BlockCorruptionError naming `file` and the offset.
 */
export function decodeSeries(b: Buffer, ref: number, symbols: readonly string[], file: string): IndexSeries {
  const offset = ref * SERIES_ALIGNMENT;
  const d = uvarintSectionAt(b, offset, file, `series ${ref}`);
  const nLabels = d.uvarint();
  if (nLabels * 2 > d.remaining) d.fail(`${nLabels} labels cannot fit the entry`);
  const flat: string[] = new Array(nLabels * 2);
  for (let i = 0; i < nLabels * 2 && d.err === null; i++) flat[i] = symbol(d, symbols);
  const chunks = decodeChunkMetas(d);
  d.check(file, `series ${ref}`);
  return { labels: Labels.fromSortedFlat(flat), chunks };
}

function symbol(d: Decbuf, symbols: readonly string[]): string {
  const at = d.pos;
  const id = d.uvarint();
  const s = symbols[id];
  if (s === undefined) {
    d.fail(`symbol ref ${id} out of range (${symbols.length} symbols)`, at);
    return '';
  }
  return s;
}

function decodeChunkMetas(d: Decbuf): ChunkMeta[] {
  const n = d.uvarint();
  // Every chunk takes at least 3 bytes; a count beyond that is corrupt, not a reason to allocate.
  if (n * 3 > d.remaining) {
    d.fail(`${n} chunks cannot fit the entry`);
    return [];
  }
  const chunks: ChunkMeta[] = [];
  if (n === 0) return chunks;
  let minTime = d.varint();
  let maxTime = minTime + d.uvarint();
  let ref = d.uvarint();
  chunks.push({ ref, minTime, maxTime });
  for (let i = 1; i < n && d.err === null; i++) {
    minTime = maxTime + d.uvarint();
    maxTime = minTime + d.uvarint();
    ref += d.varint();
    chunks.push({ ref, minTime, maxTime });
  }
  return chunks;
}
