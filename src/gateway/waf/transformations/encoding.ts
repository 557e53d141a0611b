import { isHex, simple } from './types.ts';

const b64 = /[A-Za-z0-9+/]/;

function base64(s: string, lenient: boolean): string {
  let clean = '';
  for (const c of s) {
    if (b64.test(c)) clean += c;
    else if (c === '=' || !lenient) break;
  }
  return Buffer.from(clean, 'base64').toString('latin1');
}

/** Decodes up to the first character outside the base64 alphabet. */
export const base64Decode = simple((s) => base64(s, false));
/** Decodes skipping characters outside the alphabet. */
export const base64DecodeExt = simple((s) => base64(s, true));
export const base64Encode = simple((s) => Buffer.from(s, 'latin1').toString('base64'));
export const hexEncode = simple((s) => Buffer.from(s, 'latin1').toString('hex'));
export const hexDecode = simple((s) => {
  let out = '';
  for (let i = 0; i + 1 < s.length; i += 2) {
    if (!isHex(s[i]) || !isHex(s[i + 1])) break;
    out += String.fromCharCode(Number.parseInt(s.slice(i, i + 2), 16));
  }
  return out;
});
/** `0xHHHH…` sequences become their bytes. */
export const sqlHexDecode = simple((s) =>
  s.replace(/0x((?:[0-9a-fA-F]{2})+)/g, (_m, h: string) => Buffer.from(h, 'hex').toString('latin1')),
);
