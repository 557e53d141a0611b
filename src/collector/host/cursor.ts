/**
 * A forward cursor over the text of a kernel file (/proc, /sys): whitespace-separated fields and decimal numbers
 * read with charCodeAt, no regexes, no intermediate arrays. Reused across files with `reset`.
 */
export class TextCursor {
  text = '';
  pos = 0;

  reset(text: string): this {
    this.text = text;
    this.pos = 0;
    return this;
  }

  /** Whether the cursor is past the last character. */
  done(): boolean {
    return this.pos >= this.text.length;
  }

  /** Skips spaces and tabs (not newlines). */
  skipBlanks(): void {
    const t = this.text;
    let p = this.pos;
    for (let c = t.charCodeAt(p); c === 32 || c === 9; c = t.charCodeAt(++p));
    this.pos = p;
  }

  /** Whether the cursor, after blanks, is at a newline or the end. */
  atEol(): boolean {
    this.skipBlanks();
    return this.pos >= this.text.length || this.text.charCodeAt(this.pos) === 10;
  }

  /** Moves to the start of the next line; false when there is none. */
  nextLine(): boolean {
    const i = this.text.indexOf('\n', this.pos);
    if (i < 0 || i + 1 >= this.text.length) {
      this.pos = this.text.length;
      return false;
    }
    this.pos = i + 1;
    return true;
  }

  /** End (exclusive) of the field starting at the cursor after blanks; the cursor moves to that start. */
  private fieldEnd(): number {
    this.skipBlanks();
    const t = this.text;
    let p = this.pos;
    for (let c = t.charCodeAt(p); p < t.length && c !== 32 && c !== 9 && c !== 10; c = t.charCodeAt(++p));
    return p;
  }

  /** The next blank-separated field on this line ('' at the end of the line). */
  field(): string {
    const end = this.fieldEnd();
    const s = this.text.slice(this.pos, end);
    this.pos = end;
    return s;
  }

  /** Skips the next field. */
  skipField(): void {
    this.pos = this.fieldEnd();
  }

  /** Skips `n` fields. */
  skipFields(n: number): void {
    for (let i = 0; i < n; i++) this.pos = this.fieldEnd();
  }

  /** Whether the text at the cursor (after blanks) starts with `s`; does not move. */
  startsWith(s: string): boolean {
    this.skipBlanks();
    return this.text.startsWith(s, this.pos);
  }

  /** Moves past `n` characters. */
  advance(n: number): void {
    this.pos += n;
  }

  /**
   * The next field as a decimal number: digits with an optional sign, fraction and exponent (`12`, `-1`, `0.47`).
   * NaN when the field is missing or not a number; the cursor moves past the field either way.
   */
  number(): number {
    const end = this.fieldEnd();
    const t = this.text;
    const start = this.pos;
    this.pos = end;
    let p = start;
    const neg = t.charCodeAt(p) === 45;
    if (neg) p++;
    if (p === end) return Number.NaN;
    let v = 0;
    for (; p < end; p++) {
      const d = t.charCodeAt(p) - 48;
      if (d < 0 || d > 9) break;
      v = v * 10 + d;
    }
    // A fraction or an exponent (loadavg, pressure, cpuinfo): rare enough to let the engine parse it.
    if (p < end) return Number(t.slice(start, end));
    return neg ? -v : v;
  }
}
