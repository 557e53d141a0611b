/**
 * State and accessors the two text parsers share: the current entry as byte spans over the body, label spans in
 * typed arrays, and the building of strings and label sets on demand.
 */
import { floatFromBits, Labels, metricNameLabel } from '../model/index.ts';
import {
  BACKSLASH,
  charClass,
  describeEscape,
  LABEL_CONT,
  LF,
  lineCol,
  QUOTE,
  Scratch,
  unescapeSpan,
  validUtf8,
} from './bytes.ts';
import { ExpositionParseError } from './errors.ts';
import { NumberReader } from './parse-float.ts';
import { bytesBelongToFamily } from './suffixes.ts';
import type { Exemplar, ExpositionFormat, ExpositionParser, MetricType, ParserOptions } from './types.ts';
import { Entry } from './types.ts';

/** Prometheus' value.NormalNaN (0x7ff8000000000001): what every parsed NaN becomes. */
export const normalNaN: number = floatFromBits(0x7ff80000, 1);

/** Span flags: the span holds a backslash; the span holds a byte >= 0x80. */
export const ESCAPED = 1;
export const NON_ASCII = 2;

/** Node's Buffer has these (undocumented, stable since Node 0.x); they skip toString's encoding dispatch. */
type FastBuffer = Buffer & { latin1Slice(s: number, e: number): string; utf8Slice(s: number, e: number): string };

const emptyBody = Buffer.alloc(0) as FastBuffer;
const nameBytes = Buffer.from(metricNameLabel, 'latin1');

export abstract class ParserBase implements ExpositionParser {
  abstract readonly format: ExpositionFormat;
  protected b: FastBuffer = emptyBody;
  protected n = 0;
  protected pos = 0;
  protected error: ExpositionParseError | null = null;
  protected finished = false;
  protected readonly strict: boolean;
  protected readonly num = new NumberReader();
  private readonly scratch = new Scratch();

  protected kind: Entry = Entry.Eof;
  protected nameS = 0;
  protected nameE = 0;
  protected serE = 0;
  /** Label spans: name start, name end, value start, value end; `lflags` holds the value's span flags. */
  protected lbl = new Int32Array(64);
  protected lflags = new Uint8Array(16);
  protected nl = 0;
  protected val = 0;
  protected ts = 0;
  protected hasTs = false;
  protected textS = 0;
  protected textE = 0;
  protected textFlags = 0;
  protected mtype: MetricType = 'unknown';
  protected famS = 0;
  protected famE = 0;
  protected famType: MetricType = 'unknown';
  protected famSet = false;
  protected ex = new Int32Array(16);
  protected exFlags = new Uint8Array(4);
  protected exN = 0;
  protected hasEx = false;
  protected exVal = 0;
  protected exTs = 0;
  protected exHasTs = false;
  /** Span flags of the last `scanQuoted`. */
  protected qflags = 0;

  constructor(body: Uint8Array, options: ParserOptions = {}) {
    this.strict = options.strictEscapes === true;
    this.reset(body);
  }

  reset(body: Uint8Array): void {
    this.b = (Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength)) as FastBuffer;
    this.n = body.length;
    this.pos = 0;
    this.error = null;
    this.finished = false;
    this.famSet = false;
    this.kind = Entry.Eof;
  }

  abstract next(): Entry;

  err(): ExpositionParseError | null {
    return this.error;
  }

  /** Records the error at byte `offset` and returns `Entry.Invalid`. */
  protected fail(offset: number, reason: string): Entry {
    const { line, col } = lineCol(this.b, offset);
    this.error = new ExpositionParseError(line, col, offset, reason);
    this.kind = Entry.Invalid;
    return Entry.Invalid;
  }

  /** Begins an entry: clears what the previous one set. */
  protected begin(): void {
    this.nl = 0;
    this.exN = 0;
    this.hasEx = false;
    this.hasTs = false;
    this.ts = 0;
  }

  protected pushLabel(ns: number, ne: number, vs: number, ve: number, flags: number): void {
    const k = this.nl;
    if (4 * k + 4 > this.lbl.length) {
      const grown = new Int32Array(this.lbl.length * 2);
      grown.set(this.lbl);
      this.lbl = grown;
      const gf = new Uint8Array(this.lflags.length * 2);
      gf.set(this.lflags);
      this.lflags = gf;
    }
    this.lbl[4 * k] = ns;
    this.lbl[4 * k + 1] = ne;
    this.lbl[4 * k + 2] = vs;
    this.lbl[4 * k + 3] = ve;
    this.lflags[k] = flags;
    this.nl = k + 1;
  }

  protected pushExemplarLabel(ns: number, ne: number, vs: number, ve: number, flags: number): void {
    const k = this.exN;
    if (4 * k + 4 > this.ex.length) {
      const grown = new Int32Array(this.ex.length * 2);
      grown.set(this.ex);
      this.ex = grown;
      const gf = new Uint8Array(this.exFlags.length * 2);
      gf.set(this.exFlags);
      this.exFlags = gf;
    }
    this.ex[4 * k] = ns;
    this.ex[4 * k + 1] = ne;
    this.ex[4 * k + 2] = vs;
    this.ex[4 * k + 3] = ve;
    this.exFlags[k] = flags;
    this.exN = k + 1;
  }

  /** Scans a label name starting at `i` (a valid first byte); returns its end. */
  protected scanLabelName(i: number): number {
    const b = this.b;
    const n = this.n;
    i++;
    while (i < n && (charClass[b[i] as number] as number) & LABEL_CONT) i++;
    return i;
  }

  /**
   * Scans a quoted label value whose opening quote is at `q`; returns the offset of the closing quote and sets
   * `qflags`, or fails and returns -1. A backslash escapes the next byte (anything but a line feed); `allowLF`
   * lets a raw line feed stand in the value, as text 0.0.4's lexer does. Checks UTF-8 and, when strict, escapes.
   */
  protected scanQuoted(q: number, allowLF: boolean): number {
    const b = this.b;
    const n = this.n;
    let flags = 0;
    for (let i = q + 1; i < n; i++) {
      const c = b[i] as number;
      if (c === QUOTE) {
        if (flags & NON_ASCII && !validUtf8(b, q + 1, i)) {
          this.fail(q + 1, 'invalid UTF-8 in label value');
          return -1;
        }
        this.qflags = flags;
        return i;
      }
      if (c === BACKSLASH) {
        flags |= ESCAPED;
        if (i + 1 >= n) break;
        const d = b[i + 1] as number;
        if (d === LF) {
          this.fail(i, 'label value escape "\\" at end of line');
          return -1;
        }
        if (this.strict && d !== BACKSLASH && d !== QUOTE && d !== 0x6e) {
          this.fail(i, `invalid label value escape ${describeEscape(b, i, n)}`);
          return -1;
        }
        if (d >= 0x80) flags |= NON_ASCII;
        i++;
        continue;
      }
      if (c === LF && !allowLF) break;
      if (c >= 0x80) flags |= NON_ASCII;
    }
    this.fail(q, 'unterminated label value');
    return -1;
  }

  /**
   * The index of the first label (in `spans`, `count` of them) whose name repeats an earlier one, or `__name__`
   * when `withName`; -1 when all differ.
   */
  protected duplicateLabel(spans: Int32Array, count: number, withName: boolean): number {
    const b = this.b;
    for (let i = 0; i < count; i++) {
      const s = spans[4 * i] as number;
      const len = (spans[4 * i + 1] as number) - s;
      if (withName && len === 8 && b.compare(nameBytes, 0, 8, s, s + 8) === 0) return i;
      for (let j = 0; j < i; j++) {
        const t = spans[4 * j] as number;
        if ((spans[4 * j + 1] as number) - t !== len) continue;
        let k = 0;
        while (k < len && b[s + k] === b[t + k]) k++;
        if (k === len) return i;
      }
    }
    return -1;
  }

  /** Decodes a span with its flags; `quote`: `\"` is an escape. */
  protected decode(s: number, e: number, flags: number, quote: boolean): string {
    if (flags & ESCAPED) return unescapeSpan(this.b, s, e, quote, this.scratch);
    if (flags & NON_ASCII) return this.b.utf8Slice(s, e);
    return this.b.latin1Slice(s, e);
  }

  /** Builds sorted labels from label spans, with `name` as `__name__` when given, dropping empty values. */
  private buildLabels(spans: Int32Array, flags: Uint8Array, count: number, name: string | null): Labels {
    const flat: string[] = [];
    if (name !== null) flat.push(metricNameLabel, name);
    for (let i = 0; i < count; i++) {
      const vs = spans[4 * i + 2] as number;
      const ve = spans[4 * i + 3] as number;
      if (vs === ve) continue;
      const ln = this.b.latin1Slice(spans[4 * i] as number, spans[4 * i + 1] as number);
      const lv = this.decode(vs, ve, flags[i] as number, true);
      // Insertion sort by name: label names are ASCII, where `<` is byte order. Exposed labels are mostly sorted.
      let j = flat.length;
      flat.push(ln, lv);
      while (j > 0 && (flat[j - 2] as string) > ln) {
        flat[j] = flat[j - 2] as string;
        flat[j + 1] = flat[j - 1] as string;
        j -= 2;
      }
      flat[j] = ln;
      flat[j + 1] = lv;
    }
    return Labels.fromSortedFlat(flat);
  }

  metricName(): string {
    return this.kind === Entry.Sample ||
      this.kind === Entry.Help ||
      this.kind === Entry.Type ||
      this.kind === Entry.Unit
      ? this.b.latin1Slice(this.nameS, this.nameE)
      : '';
  }

  seriesStart(): number {
    return this.kind === Entry.Sample ? this.nameS : 0;
  }

  seriesEnd(): number {
    return this.kind === Entry.Sample ? this.serE : 0;
  }

  seriesKey(): string {
    return this.kind === Entry.Sample ? this.b.latin1Slice(this.nameS, this.serE) : '';
  }

  labels(): Labels {
    if (this.kind !== Entry.Sample) return Labels.empty;
    return this.buildLabels(this.lbl, this.lflags, this.nl, this.b.latin1Slice(this.nameS, this.nameE));
  }

  value(): number {
    return this.kind === Entry.Sample ? this.val : 0;
  }

  hasTimestamp(): boolean {
    return this.kind === Entry.Sample && this.hasTs;
  }

  timestampMs(): number {
    return this.kind === Entry.Sample ? this.ts : 0;
  }

  metricType(): MetricType {
    if (this.kind !== Entry.Sample || !this.famSet) return 'unknown';
    return bytesBelongToFamily(this.b, this.nameS, this.nameE, this.famS, this.famE, this.famType)
      ? this.famType
      : 'unknown';
  }

  hasExemplar(): boolean {
    return this.kind === Entry.Sample && this.hasEx;
  }

  exemplar(): Exemplar | null {
    if (!this.hasExemplar()) return null;
    const labels = this.buildLabels(this.ex, this.exFlags, this.exN, null);
    return this.exHasTs
      ? { labels, value: this.exVal, timestampMs: this.exTs }
      : { labels, value: this.exVal, timestampMs: undefined };
  }

  help(): string {
    return this.kind === Entry.Help ? this.decode(this.textS, this.textE, this.textFlags, this.helpQuoteEscape()) : '';
  }

  /** Whether `\"` is an escape in HELP text: in OpenMetrics, not in text 0.0.4. */
  protected abstract helpQuoteEscape(): boolean;

  type(): MetricType {
    return this.kind === Entry.Type ? this.mtype : 'unknown';
  }

  unit(): string {
    return this.kind === Entry.Unit ? this.b.latin1Slice(this.textS, this.textE) : '';
  }

  comment(): string {
    return this.kind === Entry.Comment ? this.b.utf8Slice(this.textS, this.textE) : '';
  }

  /** Flags of `b[s, e)`: ESCAPED, NON_ASCII. */
  protected spanFlags(s: number, e: number): number {
    const b = this.b;
    let flags = 0;
    for (let i = s; i < e; i++) {
      const c = b[i] as number;
      if (c === BACKSLASH) flags |= ESCAPED;
      else if (c >= 0x80) flags |= NON_ASCII;
    }
    return flags;
  }
}
