/**
 * Go's `regexp.Expand` template language, as `label_replace` uses it: `$1`, `${1}`, `$name`, `${name}` and `$$`.
 * A name is the longest run of letters, digits and `_` (so `$1x` means the group named `1x`, not `$1` then `x`);
 * a malformed reference (`$`, `${1`, `$!`) is copied literally; a reference to a group that did not take part in
 * the match, or does not exist, expands to nothing.
 */

/** A successful match: `[whole, group1, …]` with `undefined` for groups that did not participate. */
export interface GroupMatch {
  readonly [index: number]: string | undefined;
  readonly length: number;
  readonly groups?: Readonly<Record<string, string | undefined>> | undefined;
}

const nameChar = /[\p{L}\p{Nd}_]/u;

/** Parses a reference after `$`: the name, its group number (-1 when not a plain number), and the rest. */
function extract(str: string): { name: string; num: number; rest: string } | undefined {
  if (str === '') return undefined;
  let s = str;
  const brace = s[0] === '{';
  if (brace) s = s.slice(1);
  let i = 0;
  while (i < s.length) {
    const cp = s.codePointAt(i) as number;
    const ch = String.fromCodePoint(cp);
    if (!nameChar.test(ch)) break;
    i += ch.length;
  }
  if (i === 0) return undefined;
  const name = s.slice(0, i);
  if (brace) {
    if (i >= s.length || s[i] !== '}') return undefined;
    i++;
  }
  let num = 0;
  for (let k = 0; k < name.length; k++) {
    const c = name.charCodeAt(k);
    if (c < 0x30 || c > 0x39 || num >= 1e8) {
      num = -1;
      break;
    }
    num = num * 10 + (c - 0x30);
  }
  if (name[0] === '0' && name.length > 1) num = -1;
  return { name, num, rest: s.slice(i) };
}

/** Expands `template` with the groups of `match`, as Go's `Regexp.ExpandString`. */
export function goExpand(template: string, match: GroupMatch): string {
  let out = '';
  let rest = template;
  for (;;) {
    const dollar = rest.indexOf('$');
    if (dollar < 0) break;
    out += rest.slice(0, dollar);
    rest = rest.slice(dollar + 1);
    if (rest[0] === '$') {
      out += '$';
      rest = rest.slice(1);
      continue;
    }
    const ref = extract(rest);
    if (ref === undefined) {
      out += '$';
      continue;
    }
    rest = ref.rest;
    if (ref.num >= 0) {
      if (ref.num < match.length) out += match[ref.num] ?? '';
    } else {
      out += match.groups?.[ref.name] ?? '';
    }
  }
  return out + rest;
}
