import { simple } from './types.ts';

// Loops rather than regexes with end anchors: `[ \t]+$` backtracks quadratically on inner blank runs.
const blank = (c: number) => c === 0x20 || (c >= 0x09 && c <= 0x0d);

function trimEnds(s: string, left: boolean, right: boolean): string {
  let a = 0;
  let b = s.length;
  if (left) while (a < b && blank(s.charCodeAt(a))) a++;
  if (right) while (b > a && blank(s.charCodeAt(b - 1))) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

export const removeWhitespace = simple((s) => s.replace(/[ \t\n\r\f\v\xa0]+/g, ''));
export const compressWhitespace = simple((s) => s.replace(/[ \t\n\r\f\v\xa0]+/g, ' '));
export const trim = simple((s) => trimEnds(s, true, true));
export const trimLeft = simple((s) => trimEnds(s, true, false));
export const trimRight = simple((s) => trimEnds(s, false, true));
export const removeNulls = simple((s) => (s.indexOf('\0') < 0 ? s : s.replace(/\0/g, '')));
export const replaceNulls = simple((s) => (s.indexOf('\0') < 0 ? s : s.replace(/\0/g, ' ')));
