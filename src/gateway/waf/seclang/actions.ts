/** Parses a SecLang action list (`id:1,phase:2,msg:'a, b',t:none`) into name/argument pairs. */

/** One action as written: `name` lowercased for lookup is the caller's job; `arg` unquoted. */
export interface ActionSpec {
  readonly name: string;
  readonly arg: string | undefined;
}

/**
 * Splits on commas outside single quotes; a value in single quotes may contain `\'`. Blanks around names and
 * values are dropped. Returns the reason as a string when the text is malformed.
 */
export function parseActions(text: string): ActionSpec[] | string {
  const out: ActionSpec[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    while (i < n && (text[i] === ' ' || text[i] === '\t' || text[i] === ',')) i++;
    if (i >= n) break;
    let j = i;
    while (j < n && text[j] !== ':' && text[j] !== ',') j++;
    const name = text.slice(i, j).trim();
    if (j >= n || text[j] === ',') {
      out.push({ name, arg: undefined });
      i = j + 1;
      continue;
    }
    j++;
    while (j < n && (text[j] === ' ' || text[j] === '\t')) j++;
    let arg = '';
    if (text[j] === "'") {
      j++;
      let closed = false;
      while (j < n) {
        const c = text[j] as string;
        if (c === '\\' && text[j + 1] === "'") {
          arg += "'";
          j += 2;
          continue;
        }
        if (c === "'") {
          closed = true;
          j++;
          break;
        }
        arg += c;
        j++;
      }
      if (!closed) return `unterminated quote in action ${name}`;
      while (j < n && text[j] !== ',') j++;
    } else {
      const k = j;
      while (j < n && text[j] !== ',') j++;
      arg = text.slice(k, j).trim();
    }
    out.push({ name, arg });
    i = j + 1;
  }
  return out;
}
