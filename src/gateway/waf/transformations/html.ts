import { narrow, simple } from './types.ts';

const named: Record<string, string> = { quot: '"', amp: '&', lt: '<', gt: '>', nbsp: '\xa0', apos: "'" };

/** `&#DDD;`, `&#xHH;` (semicolon optional) and the common named entities; unknown ones stay as written. */
export const htmlEntityDecode = simple((s) => {
  if (s.indexOf('&') < 0) return s;
  return s.replace(/&(?:#[xX]([0-9a-fA-F]+);?|#([0-9]+);?|([a-zA-Z]{2,6});)/g, (m, hex, dec, name) => {
    if (hex !== undefined) return narrow(Number.parseInt(hex.replace(/^0+(?=.)/, '').slice(-8), 16));
    if (dec !== undefined) return narrow(Number.parseInt(dec.replace(/^0+(?=.)/, '').slice(-10), 10));
    const v = named[(name as string).toLowerCase()];
    return v ?? m;
  });
});
