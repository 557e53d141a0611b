/**
 * Reads an index file of format version 2, as vigil or Prometheus 2.x write it (docs/format/index.md).
 *
 * Memory: the whole file is read into one Buffer (no mmap), and on open the symbol table is decoded into
 * strings and the postings offset table into a map of label name → value → list offset. Postings lists and
 * series entries are decoded from the Buffer on request. Label indices and the label offset table, which
 * Prometheus 2.x no longer reads either, are not read.
 *
 * Open checks the header, the TOC, and the checksums of the symbol table and postings offset table; each
 * postings list and series entry is checked when read. Every failure is a BlockCorruptionError naming the
 * file and byte offset. Safe for concurrent reads; nothing changes after open.
 */
import { readFile } from 'node:fs/promises';
import { compareStrings } from '../../model/index.ts';
import { emptyPostings, merge, type Postings } from '../index/postings.ts';
import type { PostingsSource } from '../index/select.ts';
import { sectionAt } from './encoding.ts';
import { BlockCorruptionError } from './errors.ts';
import { decodeToc, INDEX_HEADER_BYTES, INDEX_MAGIC, INDEX_VERSION, type Toc } from './index-format.ts';
import { type LabelValueOffsets, postingsAt, readPostingsTable } from './index-postings.ts';
import { decodeSeries } from './index-series.ts';
import type { IndexSeries } from './types.ts';

export class IndexReader implements PostingsSource {
  private readonly symbolList: string[];
  private readonly table: Map<string, LabelValueOffsets>;
  private readonly names: string[];
  readonly toc: Toc;

  /** Parses an index already in memory; `file` names it in errors. Throws BlockCorruptionError. */
  constructor(
    private readonly b: Buffer,
    readonly file: string,
  ) {
    if (b.length < INDEX_HEADER_BYTES)
      throw new BlockCorruptionError(file, 0, `file of ${b.length} bytes is too short`);
    const magic = b.readUInt32BE(0);
    if (magic !== INDEX_MAGIC) throw new BlockCorruptionError(file, 0, `invalid magic number 0x${magic.toString(16)}`);
    if (b[4] !== INDEX_VERSION) throw new BlockCorruptionError(file, 4, `unsupported index version ${b[4]}`);
    this.toc = decodeToc(b, file);
    this.symbolList = readSymbols(b, this.toc.symbols, file);
    this.table = readPostingsTable(b, this.toc.postingsTable, file);
    this.names = [...this.table.keys()].filter((n) => n !== '').sort(compareStrings);
  }

  /** Reads and parses the index file at `path`. Throws BlockCorruptionError, or the fs error when unreadable. */
  static async open(path: string): Promise<IndexReader> {
    return new IndexReader(await readFile(path), path);
  }

  /** Size of the file in bytes. */
  get size(): number {
    return this.b.length;
  }

  /** Every symbol (label names and values), sorted by UTF-8 bytes. Do not change the array. */
  symbols(): readonly string[] {
    return this.symbolList;
  }

  /** Label names of the series, sorted. */
  labelNames(): string[] {
    return [...this.names];
  }

  /** Values of label `name`, sorted; empty when no series has it. */
  labelValues(name: string): string[] {
    if (name === '') return [];
    return [...(this.table.get(name)?.values ?? [])];
  }

  /** Postings of the series with label `name` = `value`; empty when none. Never throws (see `err()`). */
  postings(name: string, value: string): Postings {
    const off = this.table.get(name)?.offsets.get(value);
    return off === undefined ? emptyPostings : postingsAt(this.b, off, this.file);
  }

  /** Postings of any of `values` of `name`, merged. */
  forValues(name: string, values: readonly string[]): Postings {
    return merge(values.map((v) => this.postings(name, v)));
  }

  /** Postings of every series, in label order. */
  all(): Postings {
    return this.postings('', '');
  }

  /** The labels and chunk metas of the series `ref` (from a postings list). Throws BlockCorruptionError. */
  series(ref: number): IndexSeries {
    if (!Number.isSafeInteger(ref) || ref <= 0 || ref * 16 >= this.b.length) {
      throw new BlockCorruptionError(this.file, ref * 16, `series ref ${ref} is outside the file`);
    }
    return decodeSeries(this.b, ref, this.symbolList, this.file);
  }
}

function readSymbols(b: Buffer, offset: number, file: string): string[] {
  if (offset === 0) return [];
  const d = sectionAt(b, offset, file, 'symbol table');
  const n = d.be32();
  // Every symbol takes at least one byte: a larger count is corrupt, not a reason to allocate.
  if (n > d.remaining) d.fail(`${n} symbols cannot fit the table`);
  const out: string[] = [];
  for (let i = 0; i < n && d.err === null; i++) out.push(d.uvarintStr());
  d.check(file, 'symbol table');
  return out;
}
