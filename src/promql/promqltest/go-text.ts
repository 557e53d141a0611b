/**
 * Go's text conversions as the upstream test runner uses them: `strconv.Unquote` (PromQL's flavour, which also
 * takes single-quoted strings of any length) and `parseNumber` (`strconv.ParseInt(s, 0, 64)`, then
 * `strconv.ParseFloat`).
 */

const simpleEscapes: Readonly<Record<string, number>> = {
  a: 7,
  b: 8,
  f: 12,
  n: 10,
  r: 13,
  t: 9,
  v: 11,
  '\\': 92,
};

/**
 * Unquotes a Go string literal in double quotes, single quotes or backquotes. Escapes produce bytes
 * (`\xc5` is one byte); the bytes are decoded as UTF-8, invalid sequences becoming U+FFFD. Returns
 * `undefined` for anything that is not one well-formed literal.
 */
export function goUnquote(literal: string): string | undefined {
  const q = literal[0];
  if (literal.length < 2 || literal[literal.length - 1] !== q) return undefined;
  const body = literal.slice(1, -1);
  if (q === '`') return body.includes('`') ? undefined : body.replaceAll('\r', '');
  if (q !== '"' && q !== "'") return undefined;
  const bytes: number[] = [];
  const enc = new TextEncoder();
  for (let i = 0; i < body.length; ) {
    const c = body[i] as string;
    if (c === q || c === '\n') return undefined;
    if (c !== '\\') {
      const cp = body.codePointAt(i) as number;
      const ch = String.fromCodePoint(cp);
      bytes.push(...enc.encode(ch));
      i += ch.length;
      continue;
    }
    const e = body[i + 1];
    if (e === undefined) return undefined;
    const simple = simpleEscapes[e];
    if (simple !== undefined) {
      bytes.push(simple);
      i += 2;
    } else if (e === q) {
      bytes.push(q.charCodeAt(0));
      i += 2;
    } else if (e === 'x' || e === 'u' || e === 'U') {
      const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const hex = body.slice(i + 2, i + 2 + n);
      if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== n) return undefined;
      const v = Number.parseInt(hex, 16);
      if (e === 'x') bytes.push(v);
      else if (v > 0x10ffff || (v >= 0xd800 && v < 0xe000)) return undefined;
      else bytes.push(...enc.encode(String.fromCodePoint(v)));
      i += 2 + n;
    } else if (e >= '0' && e <= '7') {
      const oct = body.slice(i + 1, i + 4);
      if (!/^[0-7]{3}$/.test(oct) || Number.parseInt(oct, 8) > 255) return undefined;
      bytes.push(Number.parseInt(oct, 8));
      i += 4;
    } else {
      return undefined;
    }
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}

const goInt =
  /^[+-]?(?:0[xX]_?[0-9a-fA-F]+(?:_[0-9a-fA-F]+)*|0[bB]_?[01]+(?:_[01]+)*|0[oO]?_?[0-7]+(?:_[0-7]+)*|[1-9]\d*(?:_\d+)*|0)$/;
const goDecimalFloat = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const goSpecialFloat = /^(?:([+-]?)(inf|infinity)|nan)$/i;

/**
 * The number a whole line of an `eval` block spells, as upstream's `parseNumber`: a Go integer literal of any
 * base (`0x1f`, `0b101`, `017` octal, `_` separators), else a decimal float, `Inf`/`Infinity` (optionally signed) or
 * `NaN` in any case. `undefined` when it is not a number. Hexadecimal floats (`0x1p-2`) are not
 * recognised (no test file uses one).
 */
export function parseGoNumber(s: string): number | undefined {
  if (goInt.test(s)) {
    const neg = s[0] === '-';
    const digits = s.replace(/^[+-]/, '').replaceAll('_', '');
    let v: number;
    if (/^0[xX]/.test(digits)) v = Number.parseInt(digits.slice(2), 16);
    else if (/^0[bB]/.test(digits)) v = Number.parseInt(digits.slice(2), 2);
    else if (/^0[oO]/.test(digits)) v = Number.parseInt(digits.slice(2), 8);
    else if (digits.length > 1 && digits[0] === '0') v = Number.parseInt(digits.slice(1), 8);
    else v = Number(digits);
    // Beyond int64 ParseInt fails; ParseFloat then only takes the decimal spelling.
    if (Math.abs(v) <= 2 ** 63) return neg ? -v : v;
  }
  if (goDecimalFloat.test(s)) return Number(s);
  const special = goSpecialFloat.exec(s);
  if (special !== null) {
    if (special[2] === undefined) return Number.NaN;
    return special[1] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  }
  return undefined;
}
