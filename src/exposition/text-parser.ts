/**
 * The Prometheus text format 0.0.4, read as Prometheus 2.42's scrape parser (textparse/promlex.l) reads it:
 * spaces and tabs between all tokens and at line ends, blank lines, `#` comments, optional commas between labels
 * and a trailing one, raw line feeds inside label values, unsigned integer millisecond timestamps.
 */
import {
  COMMA,
  charClass,
  describeAt,
  describeEscape,
  EQUALS,
  firstBadEscape,
  HASH,
  LABEL_START,
  LBRACE,
  LF,
  METRIC_CONT,
  METRIC_START,
  QUOTE,
  quoteSpan,
  RBRACE,
  SPACE,
  TAB,
  validUtf8,
} from './bytes.ts';
import { NumberStatus } from './parse-float.ts';
import { NON_ASCII, normalNaN, ParserBase } from './parser-base.ts';
import type { ExpositionFormat, MetricType } from './types.ts';
import { Entry } from './types.ts';

const textTypes: Readonly<Record<string, MetricType>> = {
  counter: 'counter',
  gauge: 'gauge',
  histogram: 'histogram',
  summary: 'summary',
  untyped: 'unknown',
};

/** Whether `b[i, i+4)` is the ASCII `word` followed by a space or tab. */
function keyword(b: Uint8Array, i: number, n: number, word: string): boolean {
  if (i + 4 >= n) return false;
  for (let k = 0; k < 4; k++) if (b[i + k] !== word.charCodeAt(k)) return false;
  const c = b[i + 4];
  return c === SPACE || c === TAB;
}

/** A pull parser for text format 0.0.4. See ExpositionParser for the contract. */
export class TextParser extends ParserBase {
  readonly format: ExpositionFormat = 'text-0.0.4';

  protected helpQuoteEscape(): boolean {
    return false;
  }

  next(): Entry {
    if (this.error !== null) return Entry.Invalid;
    if (this.finished) return Entry.Eof;
    this.begin();
    const b = this.b;
    const n = this.n;
    let i = this.pos;
    for (;;) {
      while (i < n && (b[i] === SPACE || b[i] === TAB)) i++;
      if (i >= n) {
        this.pos = n;
        this.finished = true;
        this.kind = Entry.Eof;
        return Entry.Eof;
      }
      const c = b[i] as number;
      if (c === LF) {
        i++;
        continue;
      }
      if (c === HASH) return this.commentLine(i);
      if ((charClass[c] as number) & METRIC_START) return this.sampleLine(i);
      return this.fail(i, `expected a metric name or "#" at the start of a line, got ${describeAt(b, i, n)}`);
    }
  }

  private endOfLine(i: number): number {
    const j = this.b.indexOf(LF, i);
    return j < 0 ? this.n : j;
  }

  private commentLine(h: number): Entry {
    const b = this.b;
    const n = this.n;
    let i = h + 1;
    while (i < n && (b[i] === SPACE || b[i] === TAB)) i++;
    const eol = this.endOfLine(i);
    const isHelp = i > h + 1 && keyword(b, i, n, 'HELP');
    if (!isHelp && !(i > h + 1 && keyword(b, i, n, 'TYPE'))) {
      this.textS = h;
      this.textE = eol;
      this.pos = eol + 1;
      this.kind = Entry.Comment;
      return Entry.Comment;
    }
    const word = isHelp ? 'HELP' : 'TYPE';
    i += 5;
    while (i < n && (b[i] === SPACE || b[i] === TAB)) i++;
    if (i >= n || !((charClass[b[i] as number] as number) & METRIC_START)) {
      return this.fail(i, `expected metric name after ${word}, got ${describeAt(b, i, n)}`);
    }
    this.nameS = i;
    i++;
    while (i < n && (charClass[b[i] as number] as number) & METRIC_CONT) i++;
    this.nameE = i;
    // promlex: the text is the rest of the line minus its first byte, unless the rest is only blanks.
    let blank = true;
    for (let k = i; k < eol; k++) {
      if (b[k] !== SPACE && b[k] !== TAB) {
        blank = false;
        break;
      }
    }
    this.textS = blank ? eol : i + 1;
    this.textE = eol;
    this.pos = eol + 1;
    if (!isHelp) {
      const t = textTypes[b.latin1Slice(this.textS, this.textE)];
      if (t === undefined) return this.fail(this.textS, `invalid metric type ${quoteSpan(b, this.textS, this.textE)}`);
      this.mtype = t;
      this.famS = this.nameS;
      this.famE = this.nameE;
      this.famType = t;
      this.famSet = true;
      this.kind = Entry.Type;
      return Entry.Type;
    }
    this.textFlags = this.spanFlags(this.textS, this.textE);
    if (this.textFlags & NON_ASCII && !validUtf8(b, this.textS, this.textE)) {
      return this.fail(this.textS, 'help text is not valid UTF-8');
    }
    if (this.strict) {
      const bad = firstBadEscape(b, this.textS, this.textE, false);
      if (bad >= 0) return this.fail(bad, `invalid HELP escape ${describeEscape(b, bad, this.textE)}`);
    }
    this.kind = Entry.Help;
    return Entry.Help;
  }

  private sampleLine(start: number): Entry {
    const b = this.b;
    const n = this.n;
    let i = start + 1;
    while (i < n && (charClass[b[i] as number] as number) & METRIC_CONT) i++;
    this.nameS = start;
    this.nameE = i;
    this.serE = i;
    while (i < n && (b[i] === SPACE || b[i] === TAB)) i++;
    if (i < n && b[i] === LBRACE) {
      i = this.labelSet(i + 1);
      if (i < 0) return Entry.Invalid;
      this.serE = i;
      const dup = this.duplicateLabel(this.lbl, this.nl, true);
      if (dup >= 0) {
        const s = this.lbl[4 * dup] as number;
        return this.fail(s, `duplicate label name ${quoteSpan(b, s, this.lbl[4 * dup + 1] as number)}`);
      }
      while (i < n && (b[i] === SPACE || b[i] === TAB)) i++;
    }
    const vs = i;
    while (i < n) {
      const c = b[i];
      if (c === SPACE || c === TAB || c === LF || c === LBRACE) break;
      i++;
    }
    if (i === vs) return this.fail(vs, `expected value after metric, got ${describeAt(b, vs, n)}`);
    const st = this.num.readFloat(b, vs, i);
    if (st !== NumberStatus.Ok) {
      return this.fail(
        vs,
        `${st === NumberStatus.Range ? 'value out of range' : 'invalid value'} ${quoteSpan(b, vs, i)}`,
      );
    }
    const v = this.num.value;
    this.val = Number.isNaN(v) ? normalNaN : v;
    while (i < n && (b[i] === SPACE || b[i] === TAB)) i++;
    if (i < n && b[i] !== LF) {
      const c = b[i] as number;
      if (c < 0x30 || c > 0x39) return this.fail(i, `expected timestamp or end of line, got ${describeAt(b, i, n)}`);
      const ts = i;
      while (i < n && (b[i] as number) >= 0x30 && (b[i] as number) <= 0x39) i++;
      if (this.num.readUint(b, ts, i) !== NumberStatus.Ok) {
        return this.fail(ts, `timestamp out of range ${quoteSpan(b, ts, i)}`);
      }
      this.ts = this.num.value;
      this.hasTs = true;
      while (i < n && (b[i] === SPACE || b[i] === TAB)) i++;
      if (i < n && b[i] !== LF) return this.fail(i, `expected end of line after timestamp, got ${describeAt(b, i, n)}`);
    }
    this.pos = i + 1;
    this.kind = Entry.Sample;
    return Entry.Sample;
  }

  /** Parses labels after `{` up to and including `}`; returns the offset after `}`, or -1 on failure. */
  private labelSet(i: number): number {
    const b = this.b;
    const n = this.n;
    for (;;) {
      while (i < n && (b[i] === SPACE || b[i] === TAB)) i++;
      if (i < n && b[i] === RBRACE) return i + 1;
      if (i >= n || !((charClass[b[i] as number] as number) & LABEL_START)) {
        this.fail(i, `expected label name or "}", got ${describeAt(b, i, n)}`);
        return -1;
      }
      const ns = i;
      i = this.scanLabelName(i);
      const ne = i;
      while (i < n && (b[i] === SPACE || b[i] === TAB)) i++;
      if (i >= n || b[i] !== EQUALS) {
        this.fail(i, `expected "=" after label name, got ${describeAt(b, i, n)}`);
        return -1;
      }
      i++;
      while (i < n && (b[i] === SPACE || b[i] === TAB)) i++;
      if (i >= n || b[i] !== QUOTE) {
        this.fail(i, `expected quoted label value, got ${describeAt(b, i, n)}`);
        return -1;
      }
      const close = this.scanQuoted(i, true);
      if (close < 0) return -1;
      this.pushLabel(ns, ne, i + 1, close, this.qflags);
      i = close + 1;
      while (i < n && (b[i] === SPACE || b[i] === TAB)) i++;
      if (i < n && b[i] === COMMA) i++;
    }
  }
}
