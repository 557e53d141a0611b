import { simple } from './types.ts';

const hex4 = (n: number) => n.toString(16).padStart(4, '0');

/** Each well-formed UTF-8 multi-byte sequence becomes `%uHHHH`; other bytes stay as they are. */
export const utf8toUnicode = simple((s) => {
  if (!/[\x80-\xff]/.test(s)) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const b = s.charCodeAt(i);
    const cont = (k: number) => {
      const x = s.charCodeAt(i + k);
      return x >= 0x80 && x <= 0xbf ? x & 0x3f : -1;
    };
    if (b >= 0xc2 && b <= 0xdf && cont(1) >= 0) {
      out += `%u${hex4(((b & 0x1f) << 6) | cont(1))}`;
      i += 1;
    } else if (b >= 0xe0 && b <= 0xef && cont(1) >= 0 && cont(2) >= 0) {
      out += `%u${hex4(((b & 0x0f) << 12) | (cont(1) << 6) | cont(2))}`;
      i += 2;
    } else if (b >= 0xf0 && b <= 0xf4 && cont(1) >= 0 && cont(2) >= 0 && cont(3) >= 0) {
      out += `%u${hex4(((b & 0x07) << 18) | (cont(1) << 12) | (cont(2) << 6) | cont(3))}`;
      i += 3;
    } else out += s[i];
  }
  return out;
});
