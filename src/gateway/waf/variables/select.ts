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
}

const selects = (t: Target, key: string): boolean => {
  if (t.keyRegex !== undefined) return t.keyRegex.test(key);
  if (t.key !== undefined) return t.key === key.toLowerCase();
  return true;
};

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
      out.push({ name: `TX:${t.key}`, value: s.tx.has(t.key) ? '1' : '0' });
      continue;
    }
    if (t.collection === 'TX' && t.key !== undefined) {
      const v = s.tx.get(t.key);
      if (v !== undefined && !exclusions.some((e) => e.collection === 'TX' && selects(e, t.key as string)))
        out.push({ name: `TX:${t.key}`, value: v });
      continue;
    }
    const members = readCollection(s, t.collection);
    if (members.length === 0) {
      if (t.count) out.push({ name: t.key === undefined ? t.collection : `${t.collection}:${t.key}`, value: '0' });
      continue;
    }
    const ex = exclusions.length === 0 ? exclusions : exclusions.filter((e) => e.collection === t.collection);
    if (t.count) {
      let n = 0;
      for (const m of members) if (selects(t, m.key)) n++;
      out.push({ name: t.key === undefined ? t.collection : `${t.collection}:${t.key}`, value: String(n) });
      continue;
    }
    for (const m of members) {
      if (!selects(t, m.key)) continue;
      if (ex.some((e) => selects(e, m.key))) continue;
      out.push({ name: m.key === '' ? t.collection : `${t.collection}:${m.key}`, value: m.value });
    }
  }
  return out;
}
