/** Parses a SecLang target list (`ARGS|!ARGS:foo|&TX:x|REQUEST_COOKIES:/^_ga/`) into target specs. */

/** One target as written. `collection` is upper-cased; a `/regex/` selector keeps its source in `keyRegex`. */
export interface TargetSpec {
  readonly collection: string;
  readonly key: string | undefined;
  readonly keyRegex: string | undefined;
  /** `!`: removes the selected members from the rule's other targets of the same collection. */
  readonly exclude: boolean;
  /** `&`: the target is the number of selected members. */
  readonly count: boolean;
}

/** Returns the targets, or the reason the text is malformed. */
export function parseTargets(text: string): TargetSpec[] | string {
  const out: TargetSpec[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    while (i < n && (text[i] === '|' || text[i] === ' ' || text[i] === ',')) i++;
    if (i >= n) break;
    let exclude = false;
    let count = false;
    if (text[i] === '!') {
      exclude = true;
      i++;
    }
    if (text[i] === '&') {
      count = true;
      i++;
    }
    let j = i;
    while (j < n && text[j] !== ':' && text[j] !== '|') j++;
    const collection = text.slice(i, j).trim().toUpperCase();
    if (collection === '') return `empty target name at ${i}`;
    let key: string | undefined;
    let keyRegex: string | undefined;
    if (text[j] === ':') {
      j++;
      if (text[j] === '/' && collection !== 'XML') {
        let k = j + 1;
        while (k < n && text[k] !== '/') k += text[k] === '\\' ? 2 : 1;
        if (k >= n) return `unterminated regex selector in ${collection}`;
        keyRegex = text.slice(j + 1, k);
        j = k + 1;
      } else if (text[j] === "'") {
        const k = text.indexOf("'", j + 1);
        if (k < 0) return `unterminated quote in ${collection}`;
        const inner = text.slice(j + 1, k);
        if (inner.startsWith('/') && inner.endsWith('/') && inner.length > 1) keyRegex = inner.slice(1, -1);
        else key = inner;
        j = k + 1;
      } else {
        const k = j;
        while (j < n && text[j] !== '|') j++;
        key = text.slice(k, j).trim();
      }
    }
    out.push({ collection, key, keyRegex, exclude, count });
    i = j;
  }
  return out;
}
