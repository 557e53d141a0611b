/**
 * Bulk reads of a series' samples into growable typed arrays: what PromQL's selectors do with every series, so
 * cursors that can fill the arrays in one tight loop (`SampleCursor.readInto`) skip a call per sample.
 */
import type { SampleCursor } from './interfaces.ts';

/** Samples in typed arrays: `ts[i]`, `vs[i]` for `i < n`. Values keep their NaN bit patterns. */
export class SampleBuffer {
  ts = new Float64Array(256);
  vs = new Float64Array(256);
  /** `vs` as 32-bit words (two per value), for writers that hold a value's bits rather than the float. */
  vsWords = new Uint32Array(this.vs.buffer);
  n = 0;

  /** Makes room for `extra` more samples. */
  reserve(extra: number): void {
    if (this.n + extra <= this.ts.length) return;
    let size = this.ts.length * 2;
    while (size < this.n + extra) size *= 2;
    const ts = new Float64Array(size);
    const vs = new Float64Array(size);
    ts.set(this.ts.subarray(0, this.n));
    vs.set(this.vs.subarray(0, this.n));
    this.ts = ts;
    this.vs = vs;
    this.vsWords = new Uint32Array(vs.buffer);
  }

  push(t: number, v: number): void {
    if (this.n === this.ts.length) this.reserve(1);
    this.ts[this.n] = t;
    this.vs[this.n] = v;
    this.n++;
  }
}

/**
 * Appends to `buf` the samples of `c` with timestamps in `[mint, maxt]`, from its current position on (seeking to
 * `mint` first), through the cursor's `readInto` when it has one. Returns the cursor's error, if any.
 */
export function readSamples(c: SampleCursor, mint: number, maxt: number, buf: SampleBuffer): Error | null {
  if (!c.seek(mint)) return c.err();
  if (c.readInto !== undefined) {
    c.readInto(buf, maxt);
    return c.err();
  }
  do {
    const t = c.atT();
    if (t > maxt) break;
    buf.push(t, c.atV());
  } while (c.next());
  return c.err();
}
