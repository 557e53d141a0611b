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
  /**
   * A number shared by the engine's targets that select the same values (-1: none), under which a phase
   * keeps what a target over a collection fixed within the phase selects; set when the engine is built.
   */
  id: number;
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
 * `exclude` is set, compared by collection and key). The result must not be modified. Never throws.
 */
export function resolveTargets(
  s: TxState,
  targets: readonly Target[],
  exclusions: readonly Target[],
): readonly VarValue[] {
  if (targets.length === 1) {
    const t = targets[0] as Target;
    if (!t.exclude && t.id >= 0 && !excludes(exclusions, t)) return phaseValues(s, t);
  }
  const out: VarValue[] = [];
  for (const t of targets) {
    if (t.exclude) continue;
    if (t.id >= 0 && !excludes(exclusions, t)) {
      const values = phaseValues(s, t);
      for (let i = 0; i < values.length; i++) out.push(values[i] as VarValue);
    } else select(s, t, exclusions, out);
  }
  return out;
}

/** Whether some of `exclusions` may drop values `t` selects (a count or XML target ignores exclusions). */
function excludes(exclusions: readonly Target[], t: Target): boolean {
  if (exclusions.length === 0 || t.count || t.collection === 'XML') return false;
  for (let i = 0; i < exclusions.length; i++) if ((exclusions[i] as Target).collection === t.collection) return true;
  return false;
}

const noValues: readonly VarValue[] = [];
const noTargets: readonly Target[] = [];

/** What `t` (its `id` set, its collection fixed within the phase) selects, kept for the phase. */
function phaseValues(s: TxState, t: Target): readonly VarValue[] {
  let hit = s.targetValues.get(t.id);
  if (hit === undefined) {
    const out: VarValue[] = [];
    select(s, t, noTargets, out);
    hit = out.length === 0 ? noValues : out;
    s.targetValues.set(t.id, hit);
  }
  return hit;
}

/** Appends to `out` the values `t` selects minus `exclusions`. */
function select(s: TxState, t: Target, exclusions: readonly Target[], out: VarValue[]): void {
  if (t.collection === 'XML') {
    const v = xmlValues(s, t);
    out.push(...(t.count ? [{ name: 'XML', value: String(v.length) }] : v));
    return;
  }
  if (t.collection === 'TX' && t.key !== undefined && t.count) {
    out.push({ name: t.name, value: s.tx.has(t.key) ? '1' : '0' });
    return;
  }
  if (t.collection === 'TX' && t.key !== undefined) {
    const v = s.tx.get(t.key);
    if (v !== undefined && !excluded(exclusions, 'TX', t.key, t.key)) out.push({ name: t.name, value: v });
    return;
  }
  if (t.collection === 'TX' && !t.count) {
    // Read in place: the collection would copy every TX variable first.
    const anyExcluded = exclusions.length !== 0 && exclusions.some((e) => e.collection === 'TX');
    s.tx.forEach((value, key) => {
      const lower = anyExcluded ? key.toLowerCase() : key;
      if (!selects(t, key, lower)) return;
      if (anyExcluded && excluded(exclusions, 'TX', key, lower)) return;
      out.push({ name: key === '' ? 'TX' : `TX:${key}`, value });
    });
    return;
  }
  const members = readCollection(s, t.collection);
  if (members.length === 0) {
    if (t.count) out.push({ name: t.name, value: '0' });
    return;
  }
  // Only a plain key selector reads the lower-cased key; a regex selector tests the key as it is.
  const plain = t.key !== undefined && t.keyRegex === undefined;
  if (t.count) {
    let n = 0;
    for (const m of members) if (selects(t, m.key, plain ? m.key.toLowerCase() : m.key)) n++;
    out.push({ name: t.name, value: String(n) });
    return;
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
