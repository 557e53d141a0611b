import type { OperatorFactory } from './types.ts';

/** `@validateByteRange 1-255,…`: matches when some byte lies outside every listed range. */
export const validateByteRange: OperatorFactory = (param) => {
  const allowed = new Uint8Array(256);
  for (const part of param.split(',')) {
    const m = /^\s*(\d+)\s*(?:-\s*(\d+))?\s*$/.exec(part);
    if (m === null) return { error: `invalid byte range ${part}` };
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    if (lo > 255 || hi > 255 || lo > hi) return { error: `invalid byte range ${part}` };
    for (let b = lo; b <= hi; b++) allowed[b] = 1;
  }
  return (input, ctx) => {
    for (let i = 0; i < input.length; i++) {
      if (allowed[input.charCodeAt(i) & 0xff] === 0) {
        ctx.matched = input[i] as string;
        return true;
      }
    }
    return false;
  };
};

const hex = (c: string | undefined) => c !== undefined && /^[0-9a-fA-F]$/.test(c);

/** `@validateUrlEncoding`: matches a `%` not followed by two hex digits. */
export const validateUrlEncoding: OperatorFactory = () => (input, ctx) => {
  for (let i = input.indexOf('%'); i >= 0; i = input.indexOf('%', i + 1)) {
    if (!hex(input[i + 1]) || !hex(input[i + 2])) {
      ctx.matched = input.slice(i, i + 3);
      return true;
    }
    i += 2;
  }
  return false;
};

/** `@validateUtf8Encoding`: matches bytes that are not well-formed UTF-8 (overlong forms included). */
export const validateUtf8Encoding: OperatorFactory = () => (input, ctx) => {
  const bytes = Buffer.from(input, 'latin1');
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] as number;
    let n = 0;
    let min = 0;
    if (b < 0x80) {
      i++;
      continue;
    }
    if (b >= 0xc2 && b <= 0xdf) [n, min] = [1, 0x80];
    else if (b >= 0xe0 && b <= 0xef) [n, min] = [2, 0x800];
    else if (b >= 0xf0 && b <= 0xf4) [n, min] = [3, 0x10000];
    else {
      ctx.matched = input.slice(i, i + 1);
      return true;
    }
    let cp = b & (0x3f >> n);
    for (let k = 1; k <= n; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) {
        ctx.matched = input.slice(i, i + k + 1);
        return true;
      }
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
      ctx.matched = input.slice(i, i + n + 1);
      return true;
    }
    i += n + 1;
  }
  return false;
};
