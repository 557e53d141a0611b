/**
 * OpenMetrics 1.0 text, read as Prometheus 2.42's parser (textparse/openmetricslex.l) reads it: single spaces
 * between tokens and nowhere else, no blank lines or comments, `# EOF` last, float-second timestamps truncated to
 * milliseconds, exemplars on `_total` and `_bucket` samples only, UNIT a suffix of its metric name.
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
  validUtf8,
} from './bytes.ts';
import { NumberStatus } from './parse-float.ts';
import { NON_ASCII, normalNaN, ParserBase } from './parser-base.ts';
import type { ExpositionFormat, MetricType } from './types.ts';
import { Entry } from './types.ts';

const omTypes: Readonly<Record<string, MetricType>> = {
  counter: 'counter',
  gauge: 'gauge',
  histogram: 'histogram',
  gaugehistogram: 'gaugehistogram',
  summary: 'summary',
  info: 'info',
  stateset: 'stateset',
  unknown: 'unknown',
};

const MISSING_EOF = 'missing "# EOF" at the end of the exposition';
const TRAILING_SPACE = 'trailing whitespace is not allowed';

/** Whether `b[i, i+word.length)` is the ASCII `word`. */
function at(b: Uint8Array, i: number, n: number, word: string): boolean {
  if (i + word.length > n) return false;
  for (let k = 0; k < word.length; k++) if (b[i + k] !== word.charCodeAt(k)) return false;
  return true;
}

/** A pull parser for OpenMetrics 1.0 text. See ExpositionParser for the contract. */
export class OpenMetricsParser extends ParserBase {
  readonly format: ExpositionFormat = 'openmetrics-1.0.0';

  protected helpQuoteEscape(): boolean {
    return true;
  }

  next(): Entry {
    if (this.error !== null) return Entry.Invalid;
    if (this.finished) return Entry.Eof;
    this.begin();
    const b = this.b;
    const n = this.n;
    const i = this.pos;
    if (i >= n) return this.fail(n, MISSING_EOF);
    const c = b[i] as number;
    if (c === HASH) return this.metadataLine(i);
    if ((charClass[c] as number) & METRIC_START) return this.sampleLine(i);
    if (c === LF) return this.fail(i, 'blank lines are not allowed');
    if (c === SPACE) return this.fail(i, 'leading whitespace is not allowed');
    return this.fail(i, `expected a metric name or "#" at the start of a line, got ${describeAt(b, i, n)}`);
  }

  private metadataLine(h: number): Entry {
    const b = this.b;
    const n = this.n;
    if (h + 1 >= n || b[h + 1] !== SPACE)
      return this.fail(h + 1, `expected " " after "#", got ${describeAt(b, h + 1, n)}`);
    const w = h + 2;
    if (at(b, w, n, 'EOF')) {
      const e = w + 3;
      if (e === n || (b[e] === LF && e + 1 === n)) {
        this.pos = n;
        this.finished = true;
        this.kind = Entry.Eof;
        return Entry.Eof;
      }
      return this.fail(b[e] === LF ? e + 1 : e, 'unexpected data after "# EOF"');
    }
    let kind: Entry;
    let word: string;
    if (at(b, w, n, 'HELP ')) {
      kind = Entry.Help;
      word = 'HELP';
    } else if (at(b, w, n, 'TYPE ')) {
      kind = Entry.Type;
      word = 'TYPE';
    } else if (at(b, w, n, 'UNIT ')) {
      kind = Entry.Unit;
      word = 'UNIT';
    } else {
      return this.fail(w, `expected HELP, TYPE, UNIT or EOF after "# ", got ${describeAt(b, w, n)}`);
    }
    let i = w + 5;
    if (i >= n || !((charClass[b[i] as number] as number) & METRIC_START)) {
      return this.fail(i, `expected metric name after ${word}, got ${describeAt(b, i, n)}`);
    }
    this.nameS = i;
    i++;
    while (i < n && (charClass[b[i] as number] as number) & METRIC_CONT) i++;
    this.nameE = i;
    if (i >= n || b[i] !== SPACE)
      return this.fail(i, `expected " " and text after metric name in ${word}, got ${describeAt(b, i, n)}`);
    const eol = b.indexOf(LF, i);
    if (eol < 0) return this.fail(n, MISSING_EOF);
    this.textS = i + 1;
    this.textE = eol;
    this.pos = eol + 1;
    if (kind === Entry.Type) {
      const t = omTypes[b.latin1Slice(this.textS, eol)];
      if (t === undefined) return this.fail(this.textS, `invalid metric type ${quoteSpan(b, this.textS, eol)}`);
      this.mtype = t;
      this.famS = this.nameS;
      this.famE = this.nameE;
      this.famType = t;
      this.famSet = true;
    } else if (kind === Entry.Help) {
      this.textFlags = this.spanFlags(this.textS, eol);
      if (this.textFlags & NON_ASCII && !validUtf8(b, this.textS, eol)) {
        return this.fail(this.textS, 'help text is not valid UTF-8');
      }
      if (this.strict) {
        const bad = firstBadEscape(b, this.textS, eol, true);
        if (bad >= 0) return this.fail(bad, `invalid HELP escape ${describeEscape(b, bad, eol)}`);
      }
    } else {
      const ul = eol - this.textS;
      const nl = this.nameE - this.nameS;
      if (
        ul > 0 &&
        (nl < ul + 1 ||
          b[this.nameE - ul - 1] !== 0x5f ||
          b.compare(b, this.textS, eol, this.nameE - ul, this.nameE) !== 0)
      ) {
        return this.fail(
          this.textS,
          `unit ${quoteSpan(b, this.textS, eol)} is not a suffix of metric ${quoteSpan(b, this.nameS, this.nameE)}`,
        );
      }
    }
    this.kind = kind;
    return kind;
  }

  private sampleLine(start: number): Entry {
    const b = this.b;
    const n = this.n;
    let i = start + 1;
    while (i < n && (charClass[b[i] as number] as number) & METRIC_CONT) i++;
    this.nameS = start;
    this.nameE = i;
    if (i < n && b[i] === LBRACE) {
      i = this.labelSet(i + 1, false);
      if (i < 0) return Entry.Invalid;
      const dup = this.duplicateLabel(this.lbl, this.nl, true);
      if (dup >= 0) {
        const s = this.lbl[4 * dup] as number;
        return this.fail(s, `duplicate label name ${quoteSpan(b, s, this.lbl[4 * dup + 1] as number)}`);
      }
    }
    this.serE = i;
    if (i >= n || b[i] !== SPACE) return this.fail(i, `expected value after metric, got ${describeAt(b, i, n)}`);
    i = this.token(i + 1);
    if (i < 0) return Entry.Invalid;
    const vs = this.serE + 1;
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
    if (i >= n) return this.fail(n, MISSING_EOF);
    if (b[i] === SPACE) {
      if (!this.startsExemplar(i)) {
        const ts = i + 1;
        if (ts >= n || b[ts] === LF) return this.fail(i, TRAILING_SPACE);
        i = this.token(ts);
        if (i === ts) return this.fail(ts, `expected timestamp or exemplar, got ${describeAt(b, ts, n)}`);
        const t = this.seconds(ts, i, 'timestamp');
        if (t === null) return Entry.Invalid;
        this.ts = t;
        this.hasTs = true;
        if (i >= n) return this.fail(n, MISSING_EOF);
        if (b[i] === SPACE && !this.startsExemplar(i)) {
          if (i + 1 >= n || b[i + 1] === LF) return this.fail(i, TRAILING_SPACE);
          return this.fail(i + 1, `expected exemplar or end of line after timestamp, got ${describeAt(b, i + 1, n)}`);
        }
      }
      if (b[i] === SPACE) {
        i = this.exemplarPart(i);
        if (i < 0) return Entry.Invalid;
      }
    }
    this.pos = i + 1;
    this.kind = Entry.Sample;
    return Entry.Sample;
  }

  /** The end of the token starting at `i`: the next space, line feed or end of input. */
  private token(i: number): number {
    const b = this.b;
    const n = this.n;
    while (i < n && b[i] !== SPACE && b[i] !== LF) i++;
    return i;
  }

  /** Whether `b[i]` starts ` # {`. */
  private startsExemplar(i: number): boolean {
    return at(this.b, i, this.n, ' # {');
  }

  /**
   * Reads float seconds in `b[s, e)` and returns integer milliseconds as Prometheus does (the product by 1000,
   * truncated toward zero), or fails and returns null.
   */
  private seconds(s: number, e: number, what: string): number | null {
    const st = this.num.readFloat(this.b, s, e);
    const sec = this.num.value;
    if (
      st === NumberStatus.Syntax ||
      (st === NumberStatus.Ok && (Number.isNaN(sec) || sec === Infinity || sec === -Infinity))
    ) {
      this.fail(s, `invalid ${what} ${quoteSpan(this.b, s, e)}`);
      return null;
    }
    const ms = Math.trunc(sec * 1000);
    if (st === NumberStatus.Range || !Number.isSafeInteger(ms)) {
      this.fail(s, `${what} out of range ${quoteSpan(this.b, s, e)}`);
      return null;
    }
    return ms + 0;
  }

  /** Parses ` # {labels} value[ timestamp]` at `i` up to the line feed; returns its offset, or -1 on failure. */
  private exemplarPart(i: number): number {
    const b = this.b;
    const n = this.n;
    if (!this.exemplarAllowed()) {
      this.fail(i + 1, `metric name ${quoteSpan(b, this.nameS, this.nameE)} does not support exemplars`);
      return -1;
    }
    i = this.labelSet(i + 4, true);
    if (i < 0) return -1;
    const dup = this.duplicateLabel(this.ex, this.exN, false);
    if (dup >= 0) {
      const s = this.ex[4 * dup] as number;
      this.fail(s, `duplicate label name ${quoteSpan(b, s, this.ex[4 * dup + 1] as number)}`);
      return -1;
    }
    if (i >= n || b[i] !== SPACE) {
      this.fail(i, `expected value after exemplar labels, got ${describeAt(b, i, n)}`);
      return -1;
    }
    const vs = i + 1;
    i = this.token(vs);
    if (i === vs) {
      this.fail(vs, `expected value after exemplar labels, got ${describeAt(b, vs, n)}`);
      return -1;
    }
    const st = this.num.readFloat(b, vs, i);
    if (st !== NumberStatus.Ok) {
      this.fail(
        vs,
        `${st === NumberStatus.Range ? 'exemplar value out of range' : 'invalid exemplar value'} ${quoteSpan(b, vs, i)}`,
      );
      return -1;
    }
    const v = this.num.value;
    this.exVal = Number.isNaN(v) ? normalNaN : v;
    this.exHasTs = false;
    if (i < n && b[i] === SPACE) {
      const ts = i + 1;
      if (ts >= n || b[ts] === LF) {
        this.fail(i, TRAILING_SPACE);
        return -1;
      }
      i = this.token(ts);
      const t = this.seconds(ts, i, 'exemplar timestamp');
      if (t === null) return -1;
      this.exTs = t;
      this.exHasTs = true;
      if (i < n && b[i] === SPACE) {
        this.fail(
          i,
          i + 1 >= n || b[i + 1] === LF ? TRAILING_SPACE : `expected end of line after exemplar timestamp, got " "`,
        );
        return -1;
      }
    }
    if (i >= n) {
      this.fail(n, MISSING_EOF);
      return -1;
    }
    this.hasEx = true;
    return i;
  }

  /** Prometheus 2.42 takes exemplars on samples whose name ends with `_total` or `_bucket`. */
  private exemplarAllowed(): boolean {
    const b = this.b;
    const e = this.nameE;
    const len = e - this.nameS;
    const ends = (suffix: string) => len >= suffix.length && at(b, e - suffix.length, e, suffix);
    return ends('_total') || ends('_bucket');
  }

  /**
   * Parses labels after `{` up to and including `}` into the sample's labels or, with `exemplar`, the exemplar's;
   * returns the offset after `}`, or -1 on failure.
   */
  private labelSet(i: number, exemplar: boolean): number {
    const b = this.b;
    const n = this.n;
    if (i < n && b[i] === RBRACE) return i + 1;
    for (;;) {
      if (i >= n || !((charClass[b[i] as number] as number) & LABEL_START)) {
        this.fail(i, `expected label name, got ${describeAt(b, i, n)}`);
        return -1;
      }
      const ns = i;
      i = this.scanLabelName(i);
      const ne = i;
      if (i >= n || b[i] !== EQUALS) {
        this.fail(i, `expected "=" after label name, got ${describeAt(b, i, n)}`);
        return -1;
      }
      i++;
      if (i >= n || b[i] !== QUOTE) {
        this.fail(i, `expected quoted label value, got ${describeAt(b, i, n)}`);
        return -1;
      }
      const close = this.scanQuoted(i, false);
      if (close < 0) return -1;
      if (exemplar) this.pushExemplarLabel(ns, ne, i + 1, close, this.qflags);
      else this.pushLabel(ns, ne, i + 1, close, this.qflags);
      i = close + 1;
      if (i < n && b[i] === COMMA) {
        i++;
        continue;
      }
      if (i < n && b[i] === RBRACE) return i + 1;
      this.fail(i, `expected "," or "}" after label value, got ${describeAt(b, i, n)}`);
      return -1;
    }
  }
}
