/**
 * Go's string quoting and unquoting as PromQL uses them (`strconv.Quote`, `%q` of a rune, `%#U`, and
 * Prometheus' `strutil.Unquote`), so that printed queries and error messages read byte for byte like upstream's.
 *
 * Byte strings: a Go string may hold bytes that are not UTF-8 (`"\xff"`). JavaScript strings cannot, so each such
 * byte is carried as the lone surrogate U+DC80 + byte ("surrogate escape"). `goQuote` prints it back as `\xNN`,
 * and `isValidUtf8` reports a string holding one as invalid, as Go's `utf8.ValidString` would.
 */

const printable = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

/** Whether the code point is printable in Go's sense (`unicode.IsPrint`): categories L, M, N, P, S and ASCII space. */
export function isGoPrintable(cp: number): boolean {
  return printable.test(String.fromCodePoint(cp));
}

/** The byte a surrogate-escaped code unit stands for, or -1 when `cu` is not one. */
function escapedByte(cu: number): number {
  return cu >= 0xdc80 && cu <= 0xdcff ? cu - 0xdc00 : -1;
}

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

function quoteCodePoint(cp: number, quote: string): string {
  switch (cp) {
    case 7:
      return '\\a';
    case 8:
      return '\\b';
    case 12:
      return '\\f';
    case 10:
      return '\\n';
    case 13:
      return '\\r';
    case 9:
      return '\\t';
    case 11:
      return '\\v';
    case 0x5c:
      return '\\\\';
  }
  if (cp === quote.codePointAt(0)) return `\\${quote}`;
  const b = escapedByte(cp);
  if (b >= 0) return `\\x${hex(b, 2)}`;
  if (cp >= 0xd800 && cp <= 0xdfff) return '\\ufffd';
  if (isGoPrintable(cp)) return String.fromCodePoint(cp);
  if (cp < 0x80) return `\\x${hex(cp, 2)}`;
  if (cp < 0x10000) return `\\u${hex(cp, 4)}`;
  return `\\U${hex(cp, 8)}`;
}

/** `strconv.Quote`: a double-quoted Go string literal for `s`. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) out += quoteCodePoint(ch.codePointAt(0) as number, '"');
  return `${out}"`;
}

/** `%q` of a rune: a single-quoted Go rune literal. The empty string stands for end of input (rune -1). */
export function goQuoteRune(r: string): string {
  if (r === '') return "'�'";
  return `'${quoteCodePoint(r.codePointAt(0) as number, "'")}'`;
}

/** `%.Nq`: the first `n` code points of `s`, quoted. */
export function goQuotePrefix(s: string, n: number): string {
  return goQuote(Array.from(s).slice(0, n).join(''));
}

/** `%#U` of a rune, like `U+0063 'c'`. */
export function goRuneDescription(r: string): string {
  if (r === '') return 'U+FFFFFFFFFFFFFFFF';
  const cp = r.codePointAt(0) as number;
  const code = `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  return isGoPrintable(cp) ? `${code} '${r}'` : code;
}

/** Whether `s` is valid UTF-8 in Go's sense: no lone surrogates, hence no escaped bytes. */
export function isValidUtf8(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const cu = s.charCodeAt(i);
    if (cu >= 0xd800 && cu <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return false;
      i++;
    } else if (cu >= 0xdc00 && cu <= 0xdfff) {
      return false;
    }
  }
  return true;
}

/** Decodes bytes as UTF-8, carrying each byte that is not part of a valid sequence as a surrogate escape. */
function decodeBytes(bytes: number[]): string {
  let out = '';
  let i = 0;
  while (i < bytes.length) {
    const b0 = bytes[i] as number;
    let need = 0;
    let cp = 0;
    let min = 0;
    if (b0 < 0x80) {
      out += String.fromCharCode(b0);
      i++;
      continue;
    }
    if (b0 >= 0xc2 && b0 <= 0xdf) [need, cp, min] = [1, b0 & 0x1f, 0x80];
    else if (b0 >= 0xe0 && b0 <= 0xef) [need, cp, min] = [2, b0 & 0x0f, 0x800];
    else if (b0 >= 0xf0 && b0 <= 0xf4) [need, cp, min] = [3, b0 & 0x07, 0x10000];
    let ok = need > 0 && i + need < bytes.length;
    for (let k = 1; ok && k <= need; k++) {
      const b = bytes[i + k];
      if (b === undefined || (b & 0xc0) !== 0x80) ok = false;
      else cp = (cp << 6) | (b & 0x3f);
    }
    if (ok && cp >= min && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff)) {
      out += String.fromCodePoint(cp);
      i += need + 1;
    } else {
      out += String.fromCharCode(0xdc00 + b0);
      i++;
    }
  }
  return out;
}

function utf8Bytes(cp: number, into: number[]): void {
  const b = escapedByte(cp);
  if (b >= 0) into.push(b);
  else for (const x of Buffer.from(String.fromCodePoint(cp), 'utf8')) into.push(x);
}

const simpleEscapes: Readonly<Record<string, number>> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 0x5c };

/** The string value of a PromQL string literal (`"…"`, `'…'` or backtick raw), as Prometheus' `strutil.Unquote`. */
export function unquote(literal: string): string {
  const quote = literal[0];
  if (literal.length < 2 || literal[literal.length - 1] !== quote) throw new SyntaxError('invalid syntax');
  const body = literal.slice(1, -1);
  if (quote === '`') {
    if (body.includes('`')) throw new SyntaxError('invalid syntax');
    return body;
  }
  if (quote !== '"' && quote !== "'") throw new SyntaxError('invalid syntax');
  if (!body.includes('\\')) return body;
  const bytes: number[] = [];
  const chars = Array.from(body);
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i] as string;
    if (c !== '\\') {
      utf8Bytes(c.codePointAt(0) as number, bytes);
      continue;
    }
    const e = chars[++i];
    if (e === undefined) throw new SyntaxError('invalid syntax');
    const simple = simpleEscapes[e];
    if (simple !== undefined) bytes.push(simple);
    else if (e === quote) bytes.push(quote.charCodeAt(0));
    else if (e >= '0' && e <= '7') {
      const digits = chars.slice(i, i + 3).join('');
      if (!/^[0-7]{3}$/.test(digits) || Number.parseInt(digits, 8) > 255) throw new SyntaxError('invalid syntax');
      bytes.push(Number.parseInt(digits, 8));
      i += 2;
    } else if (e === 'x' || e === 'u' || e === 'U') {
      const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const digits = chars.slice(i + 1, i + 1 + n).join('');
      if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(digits)) throw new SyntaxError('invalid syntax');
      const v = Number.parseInt(digits, 16);
      if (e === 'x') bytes.push(v);
      else if (v > 0x10ffff || (v >= 0xd800 && v < 0xe000)) throw new SyntaxError('invalid syntax');
      else utf8Bytes(v, bytes);
      i += n;
    } else {
      throw new SyntaxError('invalid syntax');
    }
  }
  return decodeBytes(bytes);
}
