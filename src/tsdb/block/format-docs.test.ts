/** The byte diagrams of docs/format/ and the code's constants must agree. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { TMP_FOR_CREATION_SUFFIX } from './block-writer.ts';
import * as chunks from './chunks-format.ts';
import * as index from './index-format.ts';
import { META_VERSION } from './meta.ts';
import * as stones from './tombstones.ts';

const doc = (name: string) =>
  readFileSync(fileURLToPath(new URL(`../../../docs/format/${name}`, import.meta.url)), 'utf8');
const hex = (n: number) => `0x${n.toString(16).toUpperCase()}`;

describe('docs/format', () => {
  it('index.md states the index constants', () => {
    const text = doc('index.md');
    for (const want of [
      `magic ${hex(index.INDEX_MAGIC)}`,
      `version ${index.INDEX_VERSION}`,
      `INDEX_HEADER_BYTES = ${index.INDEX_HEADER_BYTES}`,
      `SERIES_ALIGNMENT = ${index.SERIES_ALIGNMENT}`,
      `LIST_ALIGNMENT = ${index.LIST_ALIGNMENT}`,
      `INDEX_TOC_BYTES = 6 × 8 + 4`,
      `LABEL_TABLE_KEYS = ${index.LABEL_TABLE_KEYS}`,
      `POSTINGS_TABLE_KEYS = ${index.POSTINGS_TABLE_KEYS}`,
      `last ${index.INDEX_TOC_BYTES} bytes`,
    ]) {
      assert.ok(text.includes(want), want);
    }
  });

  it('chunks.md states the segment constants', () => {
    const text = doc('chunks.md');
    for (const want of [
      `magic ${hex(chunks.CHUNKS_MAGIC)}`,
      `version ${chunks.CHUNKS_VERSION}`,
      `SEGMENT_HEADER_BYTES = ${chunks.SEGMENT_HEADER_BYTES}`,
      `${chunks.DEFAULT_SEGMENT_BYTES / 2 ** 20} MiB`,
      `${chunks.MAX_CHUNK_LENGTH_BYTES} bytes`,
      `\`${chunks.segmentName(0)}\``,
    ]) {
      assert.ok(text.includes(want), want);
    }
  });

  it('tombstones.md and meta.md state theirs', () => {
    const t = doc('tombstones.md');
    for (const want of [
      `magic 0x0${stones.TOMBSTONES_MAGIC.toString(16).toUpperCase()}`,
      `version ${stones.TOMBSTONES_VERSION}`,
      `TOMBSTONES_HEADER_BYTES = ${stones.TOMBSTONES_HEADER_BYTES}`,
      `TOMBSTONES_CRC_BYTES = ${stones.TOMBSTONES_CRC_BYTES}`,
      stones.encodeTombstones(new Map()).toString('hex').toUpperCase().match(/../g)?.join(' ') ?? '',
    ]) {
      assert.ok(t.includes(want), want);
    }
    const m = doc('meta.md');
    assert.ok(m.includes(`\`META_VERSION\` = ${META_VERSION}`));
    assert.ok(m.includes(`<ulid>${TMP_FOR_CREATION_SUFFIX}`));
  });
});
