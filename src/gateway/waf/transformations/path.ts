import { simple } from './types.ts';

function normalize(s: string): string {
  if (s === '') return s;
  const absolute = s.startsWith('/');
  const trailing = s.endsWith('/') || s.endsWith('/.') || s.endsWith('/..');
  const out: string[] = [];
  for (const seg of s.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!absolute) out.push('..');
      continue;
    }
    out.push(seg);
  }
  let r = (absolute ? '/' : '') + out.join('/');
  if (trailing && out.length > 0) r += '/';
  return r;
}

/** Collapses `//`, drops `./`, resolves `../` (never above the root of an absolute path). */
export const normalizePath = simple(normalize);
/** As normalizePath after turning `\` into `/`. */
export const normalizePathWin = simple((s) => normalize(s.replace(/\\/g, '/')));
