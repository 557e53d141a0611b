/** The page being filled: fragments are laid into it, and it goes to disk as it fills. */
import { crc32c } from '../encoding/crc32c.ts';
import { FRAGMENT_HEADER_SIZE_BYTES as HEADER, PAGE_SIZE_BYTES as PAGE } from './format.ts';

export class Page {
  readonly buf = new Uint8Array(PAGE);
  /** Bytes of `buf` in use (fragments, or the whole page once it is closed with padding). */
  alloc = 0;
  /** Bytes of `buf` already written to the segment; `flushed ≤ alloc`. */
  flushed = 0;

  remaining(): number {
    return PAGE - this.alloc;
  }

  /** No fragment header fits any more: the rest of the page is padding. */
  full(): boolean {
    return PAGE - this.alloc < HEADER;
  }

  /** Appends one fragment carrying `data[start, end)`; the caller makes sure it fits. */
  putFragment(typeByte: number, data: Uint8Array, start: number, end: number): void {
    const b = this.buf;
    const p = this.alloc;
    const len = end - start;
    const crc = crc32c(data, start, end);
    b[p] = typeByte;
    b[p + 1] = len >>> 8;
    b[p + 2] = len;
    b[p + 3] = crc >>> 24;
    b[p + 4] = crc >>> 16;
    b[p + 5] = crc >>> 8;
    b[p + 6] = crc;
    b.set(data.subarray(start, end), p + HEADER);
    this.alloc = p + HEADER + len;
  }

  /** Empties the page for reuse; its bytes are zero again, so closing it later writes zero padding. */
  reset(): void {
    this.buf.fill(0);
    this.alloc = 0;
    this.flushed = 0;
  }
}
