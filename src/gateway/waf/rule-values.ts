/**
 * What a rule reads in a transaction: its values (targets minus exclusions, the run-time ones included)
 * and each value transformed by its chain. Rules of a phase that share a target list share one value list,
 * and rules that share a transformation chain on it share its transformed inputs (CRS reads the same few
 * lists through the same few chains in hundreds of rules).
 *
 * `npm run bench -- waf` (in process, CRS PL1, µs CPU per request, medians of three runs alternated with the
 * previous engine on our loaded 2-core machine), with the TX comparisons (evaluate.ts), per-target value
 * lists (variables/select.ts), interned names (intern.ts) and the operators' kept results: GET 143 → 67,
 * 1 KB form POST 521 → 401, GET with a new query value each time 211 → 152. `npm run bench -- gateway`,
 * WAF on, GET: 337 → 189 µs CPU per request.
 */
import { hasTag, type Rule } from './rule.ts';
import type { Inputs, TxState, ValueList, VarValue } from './state.ts';
import { resolveTargets, type Target } from './variables/select.ts';

/**
 * Run-time exclusions (ctl:ruleRemoveTargetById/ByTag) that apply to a rule. The object stands for its
 * target list in `TxState.excludedTargetCache`: rules given the same object share their value lists.
 */
export interface RuleExclusions {
  readonly targets: readonly Target[];
}

const noExclusions: RuleExclusions = { targets: [] };

/** `removedTargetsByTag` grouped by tag, one RuleExclusions per tag, rebuilt when the list has grown. */
function tagGroups(s: TxState): ReadonlyArray<{ readonly tag: string; readonly exclusions: RuleExclusions }> {
  const tagged = s.removedTargetsByTag;
  const kept = s.tagExclusions;
  if (kept.from === tagged.length) return kept.groups;
  const byTag = new Map<string, Target[]>();
  for (const x of tagged) {
    const list = byTag.get(x.tag);
    if (list === undefined) byTag.set(x.tag, [x.target]);
    else list.push(x.target);
  }
  const groups = [...byTag].map(([tag, targets]) => ({ tag, exclusions: { targets } }));
  s.tagExclusions = { from: tagged.length, groups };
  return groups;
}

/**
 * The run-time exclusions that apply to `rule`: the same object for every rule that only the same tag's
 * exclusions apply to (until `removedTargetsByTag` grows).
 */
export function runtimeExclusions(s: TxState, rule: Rule): RuleExclusions {
  const ids = s.removedTargetsById;
  if (ids.size === 0 && s.removedTargetsByTag.length === 0) return noExclusions;
  let found = noExclusions;
  let targets: Target[] | undefined;
  const byId = ids.size === 0 ? undefined : ids.get(rule.id);
  if (byId !== undefined && byId.length !== 0) targets = [...byId];
  if (s.removedTargetsByTag.length !== 0) {
    const groups = tagGroups(s);
    for (let i = 0; i < groups.length; i++) {
      const g = groups[i] as { readonly tag: string; readonly exclusions: RuleExclusions };
      if (!hasTag(rule, g.tag)) continue;
      if (found === noExclusions && targets === undefined) found = g.exclusions;
      else targets = [...(targets ?? found.targets), ...g.exclusions.targets];
    }
  }
  return targets === undefined ? found : { targets };
}

/**
 * The value list of a rule whose targets are all fixed within the phase, shared by the phase's rules
 * with the same targets and exclusions. Must not be modified.
 */
export function fixedValues(s: TxState, rule: Rule, extra: RuleExclusions): ValueList {
  if (extra.targets.length === 0) {
    let hit = s.targetCache.get(rule.targetId);
    if (hit === undefined) {
      hit = { values: resolveTargets(s, rule.targets, rule.exclusions), chains: [], inputs: [] };
      s.targetCache.set(rule.targetId, hit);
    }
    return hit;
  }
  let lists = s.excludedTargetCache.get(extra);
  if (lists === undefined) {
    lists = new Map();
    s.excludedTargetCache.set(extra, lists);
  }
  let hit = lists.get(rule.targetId);
  if (hit === undefined) {
    hit = { values: resolveTargets(s, rule.targets, [...rule.exclusions, ...extra.targets]), chains: [], inputs: [] };
    lists.set(rule.targetId, hit);
  }
  return hit;
}

/** `list`'s values transformed by `rule`'s chain, in order. Shared by the phase's rules with that chain. */
export function inputsOf(s: TxState, rule: Rule, list: ValueList): Inputs {
  const values = list.values;
  const at = list.chains.indexOf(rule.transformId);
  let hit = at < 0 ? undefined : list.inputs[at];
  if (hit === undefined) {
    const strings: string[] = new Array(values.length);
    for (let i = 0; i < values.length; i++) strings[i] = transformed(s, rule, (values[i] as VarValue).value);
    hit = { strings, rx: [] };
    list.chains.push(rule.transformId);
    list.inputs.push(hit);
  }
  return hit;
}

/** The values of a rule whose targets may change within the phase. The result must not be modified. */
export function changingValues(s: TxState, rule: Rule, extra: RuleExclusions): readonly VarValue[] {
  if (extra.targets.length !== 0) return resolveTargets(s, rule.targets, [...rule.exclusions, ...extra.targets]);
  return txValue(s, rule) ?? resolveTargets(s, rule.targets, rule.exclusions);
}

const noValues: readonly VarValue[] = [];

/**
 * For a rule reading one TX variable by name: its value list, reused while the variable keeps its value;
 * undefined for other rules.
 */
function txValue(s: TxState, rule: Rule): readonly VarValue[] | undefined {
  if (rule.targets.length !== 1 || rule.exclusions.length !== 0) return undefined;
  const t = rule.targets[0] as Target;
  if (t.collection !== 'TX' || t.key === undefined || t.count || t.exclude) return undefined;
  const value = s.tx.get(t.key);
  if (value === undefined) return noValues;
  const hit = s.txValues.get(t);
  if (hit !== undefined && (hit[0] as VarValue).value === value) return hit;
  const list = [{ name: t.name, value }];
  s.txValues.set(t, list);
  return list;
}

/**
 * `value` transformed by `rule`'s chain. Short values' results are kept by the engine across transactions
 * (`recentTransforms`), longer ones by the transaction.
 */
export function transformed(s: TxState, rule: Rule, value: string): string {
  if (rule.transforms.length === 0) return value;
  const recent = s.recentTransforms;
  if (recent !== undefined && value.length <= recent.maxLength) {
    let v = recent.get(rule.transformId, value);
    if (v === undefined) {
      v = transform(rule, value);
      recent.set(rule.transformId, value, v);
    }
    return v;
  }
  let cache = s.transformCache.get(rule.transformId);
  if (cache === undefined) {
    cache = new Map();
    s.transformCache.set(rule.transformId, cache);
  }
  let v = cache.get(value);
  if (v === undefined) {
    v = transform(rule, value);
    if (value.length < 65536) cache.set(value, v);
  }
  return v;
}

/** `value` through `rule`'s chain. */
function transform(rule: Rule, value: string): string {
  let v = value;
  for (const t of rule.transforms) v = t(v).value;
  return v;
}

/** For `multiMatch`: the value and each transformation's result that changed it, in order. Shared: do not modify. */
export function allTransformed(s: TxState, rule: Rule, value: string): readonly string[] {
  const recent = s.recentAllTransforms;
  if (recent !== undefined && value.length <= recent.maxLength) {
    let all = recent.get(rule.transformId, value);
    if (all === undefined) {
      all = transformAll(rule, value);
      recent.set(rule.transformId, value, all);
    }
    return all;
  }
  let cache = s.multiTransformCache.get(rule.transformId);
  if (cache === undefined) {
    cache = new Map();
    s.multiTransformCache.set(rule.transformId, cache);
  }
  let all = cache.get(value);
  if (all === undefined) {
    all = transformAll(rule, value);
    if (value.length < 65536) cache.set(value, all);
  }
  return all;
}

/** `value` and each result of `rule`'s chain that changed it, in order. */
function transformAll(rule: Rule, value: string): readonly string[] {
  const out = [value];
  let v = value;
  for (const t of rule.transforms) {
    const r = t(v);
    if (r.changed) {
      v = r.value;
      out.push(v);
    }
  }
  return out;
}
