/**
 * The head's inverted index: for every label name and value, the sorted refs of the series that have it.
 * Refs are added in increasing order (the head assigns them so), which keeps each list sorted by appending.
 */
import { compareStrings, type Labels } from '../../model/index.ts';
import { emptyPostings, ListPostings, merge, type Postings } from './postings.ts';

/** The name/value pair whose postings list every series: Prometheus' `AllPostingsKey`. */
export const allPostingsKey = { name: '', value: '' } as const;

export class MemPostings {
  private readonly byName = new Map<string, Map<string, number[]>>();

  /** Indexes a series. `ref` must be greater than every ref added before. */
  add(ref: number, labels: Labels): void {
    this.addPair(allPostingsKey.name, allPostingsKey.value, ref);
    labels.forEach((n, v) => {
      this.addPair(n, v, ref);
    });
  }

  /** Removes series from every list; empty lists and names are dropped. */
  delete(refs: ReadonlySet<number>): void {
    for (const [name, values] of this.byName) {
      for (const [value, list] of values) {
        const kept = list.filter((r) => !refs.has(r));
        if (kept.length === 0) values.delete(value);
        else if (kept.length !== list.length) values.set(value, kept);
      }
      if (values.size === 0) this.byName.delete(name);
    }
  }

  /** Postings of one pair; empty when absent. The list is live: read it before adding more series. */
  get(name: string, value: string): Postings {
    const list = this.byName.get(name)?.get(value);
    return list ? new ListPostings(list) : emptyPostings;
  }

  /** Postings of every series. */
  all(): Postings {
    return this.get(allPostingsKey.name, allPostingsKey.value);
  }

  /** Postings of any of `values` of `name`, merged. */
  forValues(name: string, values: readonly string[]): Postings {
    return merge(values.map((v) => this.get(name, v)));
  }

  /** The values of a label name, sorted. */
  labelValues(name: string): string[] {
    const values = this.byName.get(name);
    return values ? [...values.keys()].sort(compareStrings) : [];
  }

  /** Label names, sorted, without the all-postings key. */
  labelNames(): string[] {
    return [...this.byName.keys()].filter((n) => n !== allPostingsKey.name).sort(compareStrings);
  }

  /** Number of refs under a pair (for cardinality statistics). */
  count(name: string, value: string): number {
    return this.byName.get(name)?.get(value)?.length ?? 0;
  }

  private addPair(name: string, value: string, ref: number): void {
    let values = this.byName.get(name);
    if (values === undefined) {
      values = new Map();
      this.byName.set(name, values);
    }
    const list = values.get(value);
    if (list === undefined) values.set(value, [ref]);
    else list.push(ref);
  }
}
