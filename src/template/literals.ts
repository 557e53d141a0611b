/** Go literals in template actions: interpreted and raw strings, rune constants, integer and float numbers. */

const simpleEscapes: Readonly<Record<string, number>> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92 };

/**
 * The value of a Go quoted literal (`"…"` or `'…'`, quotes included). Throws an Error naming the problem for an
 * invalid escape; `\x` and octal escapes are bytes, decoded as UTF-8 with the rest.
 */
export function unquote(text: string): string {
  const quote = text[0] as string;
  const body = text.slice(1, -1);
  const bytes: number[] = [];
  const enc = new TextEncoder();
  for (let i = 0; i < body.length; ) {
    const c = body[i] as string;
    if (c !== '\\') {
      const cp = body.codePointAt(i) as number;
      const ch = String.fromCodePoint(cp);
      bytes.push(...enc.encode(ch));
      i += ch.length;
      continue;
    }
    const e = body[i + 1] ?? '';
    const simple = simpleEscapes[e];
    if (simple !== undefined) {
      bytes.push(simple);
      i += 2;
    } else if (e === quote) {
      bytes.push(quote.charCodeAt(0));
      i += 2;
    } else if (e === 'x' || e === 'u' || e === 'U') {
      const len = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const hex = body.slice(i + 2, i + 2 + len);
      if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex)) throw new Error(`invalid syntax: ${text}`);
      const v = Number.parseInt(hex, 16);
      if (e === 'x') bytes.push(v);
      else {
        if (v > 0x10ffff || (v >= 0xd800 && v < 0xe000)) throw new Error(`invalid syntax: ${text}`);
        bytes.push(...enc.encode(String.fromCodePoint(v)));
      }
      i += 2 + len;
    } else if (/[0-7]/.test(e)) {
      const oct = body.slice(i + 1, i + 4);
      if (!/^[0-7]{3}$/.test(oct) || Number.parseInt(oct, 8) > 255) throw new Error(`invalid syntax: ${text}`);
      bytes.push(Number.parseInt(oct, 8));
      i += 4;
    } else {
      throw new Error(`invalid syntax: ${text}`);
    }
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}

/** The code point of a rune constant such as `'a'` or `'\n'`, as an int. */
export function runeValue(text: string): bigint {
  const s = unquote(text);
  const cp = s.codePointAt(0);
  if (cp === undefined || String.fromCodePoint(cp) !== s) throw new Error(`malformed character constant: ${text}`);
  return BigInt(cp);
}

/**
 * A number literal: integers (decimal, `0x`, `0o`, `0b`, leading-zero octal, `_` separators) are ints (bigint),
 * anything with a `.` or an exponent is a float64. Throws for anything else.
 */
export function numberValue(text: string): bigint | number {
  const t = text.replace(/_/g, '');
  const neg = t.startsWith('-');
  const body = t.replace(/^[+-]/, '');
  let int: bigint | undefined;
  if (/^0[xX][0-9a-fA-F]+$/.test(body) || /^0[bB][01]+$/.test(body) || /^0[oO][0-7]+$/.test(body)) int = BigInt(body);
  else if (/^0[0-7]+$/.test(body)) int = BigInt(`0o${body.slice(1)}`);
  else if (/^\d+$/.test(body)) int = BigInt(body);
  if (int !== undefined) return neg ? -int : int;
  if (/^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(body)) return Number(t);
  throw new Error(`illegal number syntax: ${JSON.stringify(text)}`);
}
