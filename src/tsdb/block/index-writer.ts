/**
 * Writes an index file, format version 2, byte for byte as Prometheus 2.42 does: symbols, series, label
 * indices, postings, the two offset tables and the TOC (docs/format/index.md).
 *
 * Contract, in three stages: add every symbol (`addSymbol`, strictly increasing UTF-8 byte order), then every
 * series (`addSeries`, strictly increasing label order by compareLabels, each label name and value among the
 * symbols), then `close()`. A call out of order throws BlockWriteError and writes nothing.
 *
 * Memory: the symbols (strings and a lookup map) and the postings (about 8 bytes per label of every series)
 * stay in memory until `close()`; series entries go to disk as they come. Not safe for concurrent use.
 */
import { compareLabels, compareStrings, Labels } from '../../model/index.ts';
import { crc32c } from '../encoding/crc32c.ts';
import { Encbuf, MAX_SIGNED_VARINT } from './encoding.ts';
import { BlockWriteError } from './errors.ts';
import { FileSink } from './file-sink.ts';
import { INDEX_MAGIC, INDEX_VERSION, SERIES_ALIGNMENT, type Toc } from './index-format.ts';
import { writeIndexTables } from './index-writer-tables.ts';
import type { ChunkMeta } from './types.ts';

type Stage = 'symbols' | 'series' | 'closed';

export class IndexWriter {
  private stage: Stage = 'symbols';
  private readonly symbols: string[] = [];
  private readonly symbolIds = new Map<string, number>();
  /** name symbol → value symbol → series refs, in increasing order. */
  private readonly postings = new Map<number, Map<number, number[]>>();
  private readonly allRefs: number[] = [];
  private lastLabels = Labels.empty;
  private readonly entry = new Encbuf(1024);
  private readonly toc: Toc = {
    symbols: 0,
    series: 0,
    labelIndices: 0,
    labelIndicesTable: 0,
    postings: 0,
    postingsTable: 0,
  };

  private constructor(private readonly sink: FileSink) {}

  /** Creates the file at `path` (replacing any) and writes its header; throws the fs error when it cannot. */
  static create(path: string): IndexWriter {
    const w = new IndexWriter(new FileSink(path));
    w.sink.out.be32(INDEX_MAGIC);
    w.sink.out.byte(INDEX_VERSION);
    return w;
  }

  get path(): string {
    return this.sink.path;
  }

  /** Adds the next symbol; symbols are numbered from 0 in the order added. */
  addSymbol(symbol: string): void {
    if (this.stage !== 'symbols') this.fail('stage', `symbol ${JSON.stringify(symbol)} added after the first series`);
    const last = this.symbols[this.symbols.length - 1];
    if (last !== undefined && compareStrings(symbol, last) <= 0) {
      this.fail('symbol-order', `symbol ${JSON.stringify(symbol)} is not after ${JSON.stringify(last)}`);
    }
    this.symbolIds.set(symbol, this.symbols.length);
    this.symbols.push(symbol);
  }

  /**
   * Adds the next series with its chunks and returns its series ref (its entry's offset / 16), which postings
   * lists hold. Chunks must be in time order, not overlapping, with non-decreasing refs and times within ±2^52.
   */
  addSeries(labels: Labels, chunks: readonly ChunkMeta[]): number {
    if (this.stage === 'closed') this.fail('stage', 'series added after close');
    if (compareLabels(labels, this.lastLabels) <= 0) {
      this.fail('series-order', `series ${labels.toString()} is not after ${this.lastLabels.toString()}`);
    }
    const e = this.entry;
    e.reset();
    e.uvarint(labels.size);
    const ids: number[] = [];
    for (let i = 0; i < labels.size; i++) {
      const n = this.symbolId(labels.name(i), labels);
      const v = this.symbolId(labels.value(i), labels);
      ids.push(n, v);
      e.uvarint(n);
      e.uvarint(v);
    }
    this.encodeChunks(e, chunks, labels);
    if (this.stage === 'symbols') this.finishSymbols();

    const sink = this.sink;
    const ref = Math.ceil(sink.pos / SERIES_ALIGNMENT);
    if (ref > 0xffffffff) this.fail('out-of-range', `series at byte ${ref * SERIES_ALIGNMENT} is past 16 × 2^32`);
    sink.padTo(SERIES_ALIGNMENT);
    sink.out.uvarint(e.len);
    sink.out.bytes(e.get());
    sink.out.be32(crc32c(e.buf, 0, e.len));
    sink.flushIfFull();

    this.lastLabels = labels;
    this.allRefs.push(ref);
    for (let i = 0; i < ids.length; i += 2) this.addPosting(ids[i] as number, ids[i + 1] as number, ref);
    return ref;
  }

  /** Writes the label indices, postings, offset tables and TOC, then fsyncs and closes the file. Idempotent. */
  async close(): Promise<void> {
    if (this.stage === 'closed') return;
    try {
      if (this.stage === 'symbols') this.finishSymbols();
      this.stage = 'closed';
      writeIndexTables(this.sink, this.toc, this.symbols, this.allRefs, this.postings);
      await this.sink.close();
    } catch (err) {
      await this.sink.abort();
      throw err;
    }
  }

  /** Closes the file without finishing it; for error paths. */
  async abort(): Promise<void> {
    this.stage = 'closed';
    await this.sink.abort();
  }

  private finishSymbols(): void {
    this.toc.symbols = this.sink.pos;
    const symbols = this.symbols;
    this.sink.section((e) => {
      e.be32(symbols.length);
      for (const s of symbols) e.uvarintStr(s);
    });
    if (this.sink.pos - this.toc.symbols > 0xffffffff + 8) this.fail('out-of-range', 'symbol table exceeds 4 GiB');
    this.toc.series = this.sink.pos;
    this.stage = 'series';
    this.sink.flushIfFull();
  }

  private encodeChunks(e: Encbuf, chunks: readonly ChunkMeta[], labels: Labels): void {
    e.uvarint(chunks.length);
    let prevMaxT = 0;
    let prevRef = 0;
    chunks.forEach((c, i) => {
      const bad = (why: string) => this.fail('chunk-order', `series ${labels.toString()} chunk ${i}: ${why}`);
      if (!Number.isInteger(c.ref) || c.ref < 0 || c.ref > MAX_SIGNED_VARINT) bad(`invalid ref ${c.ref}`);
      for (const t of [c.minTime, c.maxTime]) {
        if (!Number.isInteger(t) || Math.abs(t) > MAX_SIGNED_VARINT) bad(`time ${t} out of range`);
      }
      if (c.maxTime < c.minTime) bad(`maxTime ${c.maxTime} before minTime ${c.minTime}`);
      if (i === 0) {
        e.varint(c.minTime);
        e.uvarint(c.maxTime - c.minTime);
        e.uvarint(c.ref);
      } else {
        if (c.minTime <= prevMaxT) bad(`minTime ${c.minTime} not after previous maxTime ${prevMaxT}`);
        if (c.ref < prevRef) bad(`ref ${c.ref} before previous ref ${prevRef}`);
        e.uvarint(c.minTime - prevMaxT);
        e.uvarint(c.maxTime - c.minTime);
        e.varint(c.ref - prevRef);
      }
      prevMaxT = c.maxTime;
      prevRef = c.ref;
    });
  }

  private symbolId(s: string, labels: Labels): number {
    const id = this.symbolIds.get(s);
    if (id === undefined) {
      this.fail('unknown-symbol', `series ${labels.toString()}: ${JSON.stringify(s)} is not a symbol`);
    }
    return id;
  }

  private addPosting(name: number, value: number, ref: number): void {
    let values = this.postings.get(name);
    if (values === undefined) {
      values = new Map();
      this.postings.set(name, values);
    }
    const refs = values.get(value);
    if (refs === undefined) values.set(value, [ref]);
    else refs.push(ref);
  }

  private fail(rule: ConstructorParameters<typeof BlockWriteError>[1], detail: string): never {
    throw new BlockWriteError(this.sink.path, rule, detail);
  }
}
