/**
 * One series in the head: its labels, the chunk being appended to, and the refs of its full chunks in the
 * head chunk files. Chunks are cut as Prometheus cuts them, so block chunks line up with Prometheus': at
 * the end of the chunk range (2h blocks) at the latest, at 120 samples typically (the end time is estimated
 * when a chunk is a quarter full so the range splits evenly), and at 240 samples at the most.
 */
import type { Labels } from '../../model/index.ts';
import { isStaleNaN, staleNaNBits } from '../../model/index.ts';
import { Encoding, XorAppender } from '../chunkenc/index.ts';
import type { HeadChunkFiles } from './head-chunks.ts';

export const samplesPerChunk = 120;

/** A full chunk of the series, in the head chunk files. Times are Unix ms, inclusive. */
export interface MmappedChunk {
  readonly ref: number;
  readonly mint: number;
  readonly maxt: number;
  readonly numSamples: number;
}

export class MemSeries {
  /** Full chunks on disk, oldest first. */
  mmapped: MmappedChunk[] = [];
  /** The chunk being appended to, or null before the first sample (and after truncation emptied it). */
  head: XorAppender | null = null;
  headMint = Number.POSITIVE_INFINITY;
  headMaxt = Number.NEGATIVE_INFINITY;
  /** When the next chunk must start. */
  private nextAt = Number.NEGATIVE_INFINITY;
  /** The value of the newest sample, to tell a repeat from a duplicate with another value. */
  lastValue = Number.NaN;
  /** Whether the WAL has this series' record (set by the commit that logged it, and by replay). */
  logged = false;
  /** Open appenders holding samples for this series; truncation keeps the series while it is non-zero. */
  pendingCommits = 0;
  /** The appender that last added a pending sample, and that sample's timestamp and value (see HeadAppender). */
  pendingBy = 0;
  pendingMaxt = Number.NEGATIVE_INFINITY;
  pendingValue = Number.NaN;

  constructor(
    readonly ref: number,
    readonly labels: Labels,
  ) {}

  /** Timestamp of the newest sample, or -Infinity for a series without samples. */
  get maxt(): number {
    return this.head === null ? (this.mmapped.at(-1)?.maxt ?? Number.NEGATIVE_INFINITY) : this.headMaxt;
  }

  /** Oldest sample still held, or +Infinity. */
  get mint(): number {
    return this.mmapped[0]?.mint ?? this.headMint;
  }

  /**
   * Appends a sample that the appender validated (t > maxt). Full chunks go to `files`. `chunkRange` is the
   * block range in ms (chunks never span one of its boundaries).
   */
  append(t: number, v: number, chunkRange: number, files: HeadChunkFiles): void {
    let head = this.head;
    if (head !== null) {
      const n = head.numSamples();
      if (n === samplesPerChunk / 4) this.nextAt = chunkEndTime(this.headMint, this.headMaxt, this.nextAt);
      if (t >= this.nextAt || n >= samplesPerChunk * 2) head = this.mmapHead(files);
    }
    if (head === null || this.head === null) {
      head ??= new XorAppender(64, samplesPerChunk);
      this.head = head;
      this.headMint = t;
      this.nextAt = rangeEnd(t, chunkRange);
    }
    if (isStaleNaN(v)) head.appendBits(t, staleNaNBits.hi, staleNaNBits.lo);
    else head.append(t, v);
    this.headMaxt = t;
    this.lastValue = v;
  }

  /**
   * Writes the head chunk to the files and forgets it. Returns its appender emptied, for the next chunk to reuse
   * (a series' chunks are of a size, and one buffer per series for its life does not churn the allocator the
   * way a new one per chunk does), or null when its buffer is over twice the chunk's size, or there was none.
   */
  mmapHead(files: HeadChunkFiles): XorAppender | null {
    const head = this.head;
    if (head === null || head.numSamples() === 0) return null;
    const bytes = head.bytes();
    const ref = files.write(this.ref, this.headMint, this.headMaxt, Encoding.XOR, bytes);
    this.mmapped.push({ ref, mint: this.headMint, maxt: this.headMaxt, numSamples: head.numSamples() });
    this.head = null;
    this.headMint = Number.POSITIVE_INFINITY;
    this.headMaxt = Number.NEGATIVE_INFINITY;
    if (head.capacityBytes() > 2 * bytes.length + 64) return null;
    head.reset();
    return head;
  }

  /** Drops full chunks that end before `mint`; returns how many. */
  truncateBefore(mint: number): number {
    let i = 0;
    while (i < this.mmapped.length && (this.mmapped[i] as MmappedChunk).maxt < mint) i++;
    if (i > 0) this.mmapped = this.mmapped.slice(i);
    if (this.head !== null && this.headMaxt < mint) {
      this.head = null;
      this.headMint = Number.POSITIVE_INFINITY;
      this.headMaxt = Number.NEGATIVE_INFINITY;
      i++;
    }
    return i;
  }
}

/** The end of the chunk range containing t (Prometheus' rangeForTimestamp). */
export function rangeEnd(t: number, range: number): number {
  return Math.trunc(t / range) * range + range;
}

/**
 * Estimates when a chunk that started at `start` and reached `cur` at a quarter of its samples should end so
 * the rest of the range up to `max` splits into equal chunks (Prometheus' computeChunkEndTime, integer math).
 */
export function chunkEndTime(start: number, cur: number, max: number): number {
  const n = Math.trunc((max - start) / ((cur - start + 1) * 4));
  if (n <= 1) return max;
  return start + Math.trunc((max - start) / n);
}
