/**
 * Reading postings from an index file: the postings offset table (label pair → list offset) and the lists
 * themselves, as cursors over the file's bytes.
 */
import { compareStrings } from '../../model/index.ts';
import type { Postings } from '../index/postings.ts';
import { sectionAt } from './encoding.ts';
import { BlockCorruptionError } from './errors.ts';
import { POSTINGS_TABLE_KEYS } from './index-format.ts';

/** The values of one label name, sorted, and the offset of each value's postings list. */
export interface LabelValueOffsets {
  values: string[];
  offsets: Map<string, number>;
}

/**
 * Reads the postings offset table at `offset` (checksum checked) into label name → values and list offsets.
 * The entry for the empty name and value (every series) is kept under the name ''.
 */
export function readPostingsTable(b: Buffer, offset: number, file: string): Map<string, LabelValueOffsets> {
  const out = new Map<string, LabelValueOffsets>();
  if (offset === 0) return out;
  const d = sectionAt(b, offset, file, 'postings offset table');
  let n = d.be32();
  while (n-- > 0 && d.err === null) {
    const at = d.pos;
    const keys = d.uvarint();
    if (keys !== POSTINGS_TABLE_KEYS && d.err === null)
      d.fail(`entry has ${keys} keys, want ${POSTINGS_TABLE_KEYS}`, at);
    const name = d.uvarintStr();
    const value = d.uvarintStr();
    const off = d.uvarint();
    if (d.err !== null) break;
    let entry = out.get(name);
    if (entry === undefined) {
      entry = { values: [], offsets: new Map() };
      out.set(name, entry);
    }
    const last = entry.values[entry.values.length - 1];
    if (last !== undefined && compareStrings(value, last) <= 0) d.fail('entries are not sorted', at);
    entry.values.push(value);
    entry.offsets.set(value, off);
  }
  d.check(file, 'postings offset table');
  return out;
}

/**
 * Opens the postings list at `offset`, checking its checksum, and returns a cursor over its refs read in place
 * (the list is not copied). Never throws: a corrupt list gives a cursor whose `err()` says why.
 */
export function postingsAt(b: Buffer, offset: number, file: string): Postings {
  try {
    const d = sectionAt(b, offset, file, 'postings list');
    const n = d.be32();
    if (d.err !== null || d.remaining !== n * 4) {
      return new ErrorPostings(new BlockCorruptionError(file, offset, `postings list of ${n} refs has wrong length`));
    }
    return new BigEndianPostings(b, d.pos, n);
  } catch (err) {
    return new ErrorPostings(err as Error);
  }
}

/** A cursor over `n` big-endian uint32 refs at `start` of `b`, increasing. */
export class BigEndianPostings implements Postings {
  private i = -1;
  private cur = -1;

  constructor(
    private readonly b: Buffer,
    private readonly start: number,
    private readonly n: number,
  ) {}

  next(): boolean {
    if (this.i < this.n) this.i++;
    if (this.i >= this.n) return false;
    this.cur = this.b.readUInt32BE(this.start + 4 * this.i);
    return true;
  }

  seek(ref: number): boolean {
    if (this.i < 0) this.i = 0;
    if (this.i >= this.n) return false;
    if (this.b.readUInt32BE(this.start + 4 * this.i) >= ref) {
      this.cur = this.b.readUInt32BE(this.start + 4 * this.i);
      return true;
    }
    let lo = this.i + 1;
    let hi = this.n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.b.readUInt32BE(this.start + 4 * mid) < ref) lo = mid + 1;
      else hi = mid;
    }
    this.i = lo;
    if (lo >= this.n) return false;
    this.cur = this.b.readUInt32BE(this.start + 4 * lo);
    return true;
  }

  at(): number {
    return this.cur;
  }

  err(): Error | null {
    return null;
  }
}

/** A cursor that holds no refs and reports `error`. */
export class ErrorPostings implements Postings {
  constructor(private readonly error: Error) {}

  next(): boolean {
    return false;
  }

  seek(): boolean {
    return false;
  }

  at(): number {
    return -1;
  }

  err(): Error | null {
    return this.error;
  }
}
