/**
 * The sections an index writer appends after the series, in Prometheus 2.42's order and padding: one label
 * index per label name, the postings lists (the all-series list under the empty name and value first), the
 * label offset table, the postings offset table and the TOC.
 */
import type { FileSink } from './file-sink.ts';
import { encodeToc, LABEL_TABLE_KEYS, LIST_ALIGNMENT, POSTINGS_TABLE_KEYS, type Toc } from './index-format.ts';

/** name symbol → value symbol → series refs. Symbols are indices into the sorted symbol table. */
export type SymbolPostings = ReadonlyMap<number, ReadonlyMap<number, readonly number[]>>;

/**
 * Appends everything after the series to `sink` and fills `toc`. `symbols` sorted; every ref list increasing.
 * Sorting symbol ids sorts by the strings, since the symbol table is sorted.
 */
export function writeIndexTables(
  sink: FileSink,
  toc: Toc,
  symbols: readonly string[],
  allRefs: readonly number[],
  postings: SymbolPostings,
): void {
  const byId = (a: number, b: number) => a - b;
  const names = [...postings.keys()].sort(byId);
  const valuesOf = (name: number) =>
    [...(postings.get(name) as ReadonlyMap<number, readonly number[]>).keys()].sort(byId);

  toc.labelIndices = sink.pos;
  const labelIndexOffsets: number[] = [];
  for (const name of names) {
    sink.padTo(LIST_ALIGNMENT);
    labelIndexOffsets.push(sink.pos);
    const values = valuesOf(name);
    sink.section((e) => {
      e.be32(1);
      e.be32(values.length);
      for (const v of values) e.be32(v);
    });
    sink.flushIfFull();
  }

  toc.postings = sink.pos;
  const postingOffsets: { name: string; value: string; offset: number }[] = [];
  const writeList = (name: string, value: string, refs: readonly number[]) => {
    sink.padTo(LIST_ALIGNMENT);
    postingOffsets.push({ name, value, offset: sink.pos });
    sink.section((e) => {
      e.be32(refs.length);
      for (const r of refs) e.be32(r);
    });
    sink.flushIfFull();
  };
  sink.padTo(LIST_ALIGNMENT);
  writeList('', '', allRefs);
  for (const name of names) {
    const values = postings.get(name) as ReadonlyMap<number, readonly number[]>;
    for (const v of valuesOf(name)) {
      writeList(symbols[name] as string, symbols[v] as string, values.get(v) as readonly number[]);
    }
  }

  toc.labelIndicesTable = sink.pos;
  sink.section((e) => {
    e.be32(names.length);
    names.forEach((name, i) => {
      e.uvarint(LABEL_TABLE_KEYS);
      e.uvarintStr(symbols[name] as string);
      e.uvarint(labelIndexOffsets[i] as number);
    });
  });
  sink.flushIfFull();

  toc.postingsTable = sink.pos;
  sink.section((e) => {
    e.be32(postingOffsets.length);
    for (const p of postingOffsets) {
      e.uvarint(POSTINGS_TABLE_KEYS);
      e.uvarintStr(p.name);
      e.uvarintStr(p.value);
      e.uvarint(p.offset);
    }
  });
  encodeToc(sink.out, toc);
}
