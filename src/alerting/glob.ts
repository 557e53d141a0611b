/**
 * Go's `filepath.Glob` for config file lists (`templates`): `*`, `?` and `[…]` classes within one path
 * segment, matches sorted; a pattern without metacharacters names a file whether or not it exists.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';

const meta = /[*?[]/;

function segmentRegex(seg: string): RegExp {
  let re = '';
  for (let i = 0; i < seg.length; i++) {
    const c = seg[i] as string;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = seg.indexOf(']', i + 1);
      if (end < 0) throw new Error(`syntax error in pattern ${seg}`);
      let cls = seg.slice(i + 1, end);
      if (cls.startsWith('^')) cls = `^${cls.slice(1)}`;
      re += `[${cls.replace(/\\/g, '\\\\')}]`;
      i = end;
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** The paths matching `pattern` (absolute or relative to the working directory), sorted. */
export function expandGlob(pattern: string): string[] {
  if (!meta.test(pattern)) return [pattern];
  const absolute = pattern.startsWith(sep);
  const segs = pattern.split(sep).filter((s) => s !== '');
  let current = [absolute ? sep : '.'];
  for (const [i, seg] of segs.entries()) {
    const last = i === segs.length - 1;
    const next: string[] = [];
    for (const dir of current) {
      if (!meta.test(seg)) {
        next.push(join(dir, seg));
        continue;
      }
      const re = segmentRegex(seg);
      let names: string[];
      try {
        names = readdirSync(dir);
      } catch {
        continue;
      }
      for (const n of names.sort()) {
        if (!re.test(n)) continue;
        const p = join(dir, n);
        if (!last) {
          try {
            if (!statSync(p).isDirectory()) continue;
          } catch {
            continue;
          }
        }
        next.push(p);
      }
    }
    current = next;
  }
  return current.filter((p) => {
    try {
      return statSync(p).isFile();
    } catch {
      return false;
    }
  });
}
