/**
 * Resolves a rule's targets against a transaction: key and regex selectors, `&` counts, and exclusions
 * (`!`, SecRuleUpdateTargetById, ctl:ruleRemoveTarget*), which drop members of the same collection.
 */
import type RE2 from 're2';
import type { TxState, VarValue } from '../state.ts';
import { readCollection } from './collections.ts';

/** A target compiled at load: the regex selector is compiled (case-insensitive), the key lower-cased. */
export interface Target {
  readonly collection: string;
  readonly key: string | undefined;
  readonly keyRegex: RE2 | undefined;
  readonly exclude: boolean;
  readonly count: boolean;
  /**
   * With `keyRegex`: its results by key, kept for the engine's lifetime (keys repeat across transactions:
   * TX names, header names), at most KEY_MEMO_MAX of them.
   */
  readonly keyMemo: Map<string, boolean> | undefined;
  /** `COLLECTION` or `COLLECTION:key` (key lower-cased): the variable name of a count or of a TX key. */
  readonly name: string;
}

/** Most regex selector results kept per target: keys past it are tested each time. */
const KEY_MEMO_MAX = 4096;

/** Whether `t` selects the member whose key is `key`, `lower` being `key` lower-cased. */
const selects = (t: Target, key: string, lower: string): boolean => {
  if (t.keyRegex !== undefined) {
    const memo = t.keyMemo as Map<string, boolean>;
    let hit = memo.get(key);
    if (hit === undefined) {
      hit = t.keyRegex.test(key);
      if (memo.size < KEY_MEMO_MAX) memo.set(key, hit);
    }
    return hit;
  }
  if (t.key !== undefined) return t.key === lower;
  return true;
};

/** Whether some exclusion of `collection` in `exclusions` selects the member keyed `key`. */
function excluded(exclusions: readonly Target[], collection: string, key: string, lower: string): boolean {
  for (let i = 0; i < exclusions.length; i++) {
    const e = exclusions[i] as Target;
    if (e.collection === collection && selects(e, key, lower)) return true;
  }
  return false;
}

function xmlValues(s: TxState, t: Target): VarValue[] {
  if (s.xml === null) return [];
  const k = t.key ?? '';
  if (k === '/*' || k === '') return [{ name: 'XML', value: s.xml.text }];
  if (k === '//@*') return s.xml.attributes.map((value) => ({ name: 'XML', value }));
  return [];
}

/**
 * The values `targets` select in `s`, in target order, minus those excluded by `exclusions` (targets whose
 * `exclude` is set, compared by collection and key). Never throws.
 */
export function resolveTargets(s: TxState, targets: readonly Target[], exclusions: readonly Target[]): VarValue[] {
  const out: VarValue[] = [];
  for (const t of targets) {
    if (t.exclude) continue;
    if (t.collection === 'XML') {
      const v = xmlValues(s, t);
      out.push(...(t.count ? [{ name: 'XML', value: String(v.length) }] : v));
      continue;
    }
    if (t.collection === 'TX' && t.key !== undefined && t.count) {
      out.push({ name: t.name, value: s.tx.has(t.key) ? '1' : '0' });
      continue;
    }
    if (t.collection === 'TX' && t.key !== undefined) {
      const v = s.tx.get(t.key);
      if (v !== undefined && !excluded(exclusions, 'TX', t.key, t.key)) out.push({ name: t.name, value: v });
      continue;
    }
    const members = readCollection(s, t.collection);
    if (members.length === 0) {
      if (t.count) out.push({ name: t.name, value: '0' });
      continue;
    }
    // Only a plain key selector reads the lower-cased key; a regex selector tests the key as it is.
    const plain = t.key !== undefined && t.keyRegex === undefined;
    if (t.count) {
      let n = 0;
      for (const m of members) if (selects(t, m.key, plain ? m.key.toLowerCase() : m.key)) n++;
      out.push({ name: t.name, value: String(n) });
      continue;
    }
    const anyExcluded = exclusions.length !== 0 && exclusions.some((e) => e.collection === t.collection);
    for (const m of members) {
      const key = m.key;
      const lower = plain || anyExcluded ? key.toLowerCase() : key;
      if (!selects(t, key, lower)) continue;
      if (anyExcluded && excluded(exclusions, t.collection, key, lower)) continue;
      out.push({ name: key === '' ? t.collection : `${t.collection}:${key}`, value: m.value });
    }
  }
  return out;
}
