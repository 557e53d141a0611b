/** Macro expansion in action arguments and operator parameters: `%{tx.anomaly_score}`, `%{MATCHED_VAR}`. */
import { intern } from './intern.ts';
import type { TxState } from './state.ts';
import { readCollection } from './variables/collections.ts';

/** A text compiled at load into literal parts and variable references. */
export type Macro = readonly (string | { collection: string; key: string | undefined })[];

const ref = /%\{([A-Za-z_][A-Za-z0-9_]*)(?:[.:]([^}]*))?\}/g;

export function compileMacro(text: string): Macro {
  if (text.indexOf('%{') < 0) return [text];
  const parts: (string | { collection: string; key: string | undefined })[] = [];
  let last = 0;
  for (const m of text.matchAll(ref)) {
    const at = m.index ?? 0;
    if (at > last) parts.push(text.slice(last, at));
    const key = m[2]?.toLowerCase();
    parts.push({
      collection: intern((m[1] as string).toUpperCase()),
      key: key === undefined ? undefined : intern(key),
    });
    last = at + m[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return parts;
}

export const isConstant = (m: Macro): boolean => m.every((p) => typeof p === 'string');

/** The text with each reference replaced by the first value it selects (empty when none). */
export function expandMacro(m: Macro, s: TxState): string {
  if (m.length === 1 && typeof m[0] === 'string') return m[0];
  let out = '';
  for (const p of m) {
    if (typeof p === 'string') {
      out += p;
      continue;
    }
    if (p.collection === 'TX' && p.key !== undefined) {
      out += s.tx.get(p.key) ?? '';
      continue;
    }
    const members = readCollection(s, p.collection);
    const hit = p.key === undefined ? members[0] : members.find((x) => x.key.toLowerCase() === p.key);
    out += hit?.value ?? '';
  }
  return out;
}
