/** Byte-level helpers the parsers share: character classes, positions, escapes, error descriptions. */
import { isUtf8 } from 'node:buffer';

export const LF = 0x0a;
export const SPACE = 0x20;
export const TAB = 0x09;
export const HASH = 0x23;
export const QUOTE = 0x22;
export const BACKSLASH = 0x5c;
export const EQUALS = 0x3d;
export const COMMA = 0x2c;
export const LBRACE = 0x7b;
export const RBRACE = 0x7d;

/** Character class bits: `[a-zA-Z_]`, `[0-9]`, `:`. */
export const LETTER = 1;
export const DIGIT = 2;
export const COLON = 4;
/** First byte of a metric name `[a-zA-Z_:]`. */
export const METRIC_START = LETTER | COLON;
/** Later bytes of a metric name `[a-zA-Z0-9_:]`. */
export const METRIC_CONT = LETTER | DIGIT | COLON;
/** First byte of a label name `[a-zA-Z_]`. */
export const LABEL_START = LETTER;
/** Later bytes of a label name `[a-zA-Z0-9_]`. */
export const LABEL_CONT = LETTER | DIGIT;

/** Class bits by byte value. */
export const charClass: Uint8Array = (() => {
  const t = new Uint8Array(256);
  for (let c = 0x61; c <= 0x7a; c++) t[c] = LETTER;
  for (let c = 0x41; c <= 0x5a; c++) t[c] = LETTER;
  t[0x5f] = LETTER;
  for (let c = 0x30; c <= 0x39; c++) t[c] = DIGIT;
  t[0x3a] = COLON;
  return t;
})();

const metricNameRe = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const labelNameRe = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Whether `s` is a valid metric name `[a-zA-Z_:][a-zA-Z0-9_:]*`. */
export function isValidMetricName(s: string): boolean {
  return metricNameRe.test(s);
}

/** Whether `s` is a valid label name `[a-zA-Z_][a-zA-Z0-9_]*`. */
export function isValidLabelName(s: string): boolean {
  return labelNameRe.test(s);
}

/** Whether `b[s, e)` is valid UTF-8. */
export function validUtf8(b: Uint8Array, s: number, e: number): boolean {
  for (let i = s; i < e; i++) if ((b[i] as number) >= 0x80) return isUtf8(b.subarray(s, e));
  return true;
}

/** The 1-based line and column (in code points) of byte `offset` of `b`. */
export function lineCol(b: Uint8Array, offset: number): { line: number; col: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, b.length);
  for (let i = 0; i < end; i++) {
    if (b[i] === LF) {
      line++;
      lineStart = i + 1;
    }
  }
  let col = 1;
  for (let i = lineStart; i < end; i++) if (((b[i] as number) & 0xc0) !== 0x80) col++;
  return { line, col };
}

/** A short description of what is at `offset`, for "got …" in messages: `end of input`, `end of line` or `"c"`. */
export function describeAt(b: Uint8Array, offset: number, end: number): string {
  if (offset >= end) return 'end of input';
  const c = b[offset] as number;
  if (c === LF) return 'end of line';
  return JSON.stringify(decodeChar(b, offset, end));
}

/** The character (code point) starting at `offset`, or U+FFFD for a byte that starts no valid UTF-8 sequence. */
export function decodeChar(b: Uint8Array, offset: number, end: number): string {
  const c = b[offset] as number;
  if (c < 0x80) return String.fromCharCode(c);
  const n = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
  if (n === 1 || offset + n > end || !isUtf8(b.subarray(offset, offset + n))) return '\ufffd';
  return Buffer.from(b.buffer, b.byteOffset + offset, n).toString('utf8');
}

/** Text of `b[s, e)` decoded as UTF-8, quoted for a message and cut at 40 characters. */
export function quoteSpan(b: Uint8Array, s: number, e: number): string {
  let text = Buffer.from(b.buffer, b.byteOffset + s, e - s).toString('utf8');
  if (text.length > 40) text = `${text.slice(0, 40)}…`;
  return JSON.stringify(text);
}

/**
 * Decodes `b[s, e)` (valid UTF-8) with Prometheus' escapes: `\\` → `\`, `\n` → newline and, when `quote`, `\"` →
 * `"`. Any other backslash stays as it is, as Prometheus' replacers leave it.
 */
export function unescapeSpan(b: Uint8Array, s: number, e: number, quote: boolean, scratch: Scratch): string {
  let out = scratch.bytes(e - s);
  let n = 0;
  for (let i = s; i < e; i++) {
    const c = b[i] as number;
    if (c === BACKSLASH && i + 1 < e) {
      const d = b[i + 1] as number;
      if (d === BACKSLASH || (d === QUOTE && quote)) {
        out[n++] = d;
        i++;
        continue;
      }
      if (d === 0x6e) {
        out[n++] = LF;
        i++;
        continue;
      }
    }
    out[n++] = c;
  }
  out = out.subarray(0, n);
  return Buffer.from(out.buffer, out.byteOffset, n).toString('utf8');
}

/**
 * The offset of the first backslash in `b[s, e)` whose escape is not `\\`, `\n` or (when `quote`) `\"`; -1 when
 * there is none.
 */
export function firstBadEscape(b: Uint8Array, s: number, e: number, quote: boolean): number {
  for (let i = s; i < e; i++) {
    if (b[i] !== BACKSLASH) continue;
    const d = i + 1 < e ? (b[i + 1] as number) : -1;
    if (d === BACKSLASH || d === 0x6e || (d === QUOTE && quote)) {
      i++;
      continue;
    }
    return i;
  }
  return -1;
}

/** A growable byte buffer reused across calls. */
export class Scratch {
  private buf = new Uint8Array(256);
  /** A buffer of at least `n` bytes; its contents are undefined. Valid until the next call. */
  bytes(n: number): Uint8Array {
    if (this.buf.length < n) this.buf = new Uint8Array(Math.max(n, this.buf.length * 2));
    return this.buf;
  }
}

/** An escape at `i` (a backslash) for a message: `"\q"`, or `"\"` when the backslash ends the span. */
export function describeEscape(b: Uint8Array, i: number, end: number): string {
  if (i + 1 >= end || b[i + 1] === LF) return '"\\"';
  return `"\\${JSON.stringify(decodeChar(b, i + 1, end)).slice(1, -1)}"`;
}
