/**
 * Phase evaluation: runs a phase's rules in order over a transaction's state, with chains, skipAfter,
 * run-time exclusions, transformation caching and anomaly bookkeeping left to the rules' own setvars.
 */
import { expandMacro } from './macro.ts';
import type { RuleMatch } from './match.ts';
import type { MatchContext } from './operators/index.ts';
import type { Effect, Marker, Rule } from './rule.ts';
import type { TxState, VarValue } from './state.ts';
import { resolveTargets, type Target } from './variables/select.ts';

/** One phase's list and where each marker sits in it. */
export interface PhasePlan {
  readonly items: ReadonlyArray<Rule | Marker>;
  readonly markers: ReadonlyMap<string, number>;
}

/** What a phase run asks of the transaction. */
export interface PhaseOutcome {
  /** The rule whose disruptive action fired (deny, drop, redirect), if any. */
  disruptedBy: Rule | undefined;
  /** `allow` fired: the scope ('' = rest of the transaction, 'phase', 'request'). */
  allowed: string | undefined;
}

const noTargets: readonly Target[] = [];

/** A serial number per target object, for cache keys of run-time exclusions. */
const targetSerials = new WeakMap<Target, number>();
let nextTargetSerial = 0;
function targetSerial(t: Target): number {
  let n = targetSerials.get(t);
  if (n === undefined) {
    n = nextTargetSerial++;
    targetSerials.set(t, n);
  }
  return n;
}

/** The run-time exclusions (ctl:ruleRemoveTargetById/ByTag) that apply to `rule`; `noTargets` when none. */
function runtimeExclusions(s: TxState, rule: Rule): readonly Target[] {
  const byId = s.removedTargetsById.size === 0 ? undefined : s.removedTargetsById.get(rule.id);
  const tagged = s.removedTargetsByTag;
  let byTag: Target[] | undefined;
  for (let i = 0; i < tagged.length; i++) {
    const x = tagged[i] as { tag: string; target: Target };
    if (!rule.tagSet.has(x.tag)) continue;
    if (byTag === undefined) byTag = [];
    byTag.push(x.target);
  }
  if (byId === undefined || byId.length === 0) return byTag ?? noTargets;
  return byTag === undefined ? byId : [...byId, ...byTag];
}

/** The values `rule` reads, minus its exclusions. The result is shared and must not be modified. */
function valuesOf(s: TxState, rule: Rule): readonly VarValue[] {
  const extra = runtimeExclusions(s, rule);
  if (extra.length !== 0) {
    if (!rule.targetsFixed) return resolveTargets(s, rule.targets, [...rule.exclusions, ...extra]);
    // Rules sharing targets and run-time exclusions (CRS's 941 rules after 941010) resolve them once a phase.
    let key = `${rule.targetKey}\u0000`;
    for (const t of extra) key += `${targetSerial(t)},`;
    let hit = s.targetCache.get(key);
    if (hit === undefined) {
      hit = resolveTargets(s, rule.targets, [...rule.exclusions, ...extra]);
      s.targetCache.set(key, hit);
    }
    return hit;
  }
  if (!rule.targetsFixed) return txValue(s, rule) ?? resolveTargets(s, rule.targets, rule.exclusions);
  let hit = s.targetCache.get(rule.targetKey);
  if (hit === undefined) {
    hit = resolveTargets(s, rule.targets, rule.exclusions);
    s.targetCache.set(rule.targetKey, hit);
  }
  return hit;
}

/**
 * For a rule reading one TX variable by name (CRS's paranoia-level and score checks, a third of its rule
 * evaluations): its value list, reused while the variable keeps its value; undefined for other rules.
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

const noValues: readonly VarValue[] = [];

function transformed(s: TxState, rule: Rule, value: string): string {
  if (rule.transforms.length === 0) return value;
  let cache = s.transformCache.get(rule.transformKey);
  if (cache === undefined) {
    cache = new Map();
    s.transformCache.set(rule.transformKey, cache);
  }
  const hit = cache.get(value);
  if (hit !== undefined) return hit;
  const recent = s.recentTransforms;
  const shared = recent !== undefined && value.length <= recent.maxLength;
  let v = shared ? recent.get(rule.transformKey, value) : undefined;
  if (v === undefined) {
    v = value;
    for (const t of rule.transforms) v = t(v).value;
    if (shared) recent.set(rule.transformKey, value, v);
  }
  if (value.length < 65536) cache.set(value, v);
  return v;
}

/** For `multiMatch`: the value and each transformation's result that changed it, in order. Shared: do not modify. */
function allTransformed(s: TxState, rule: Rule, value: string): readonly string[] {
  let cache = s.multiTransformCache.get(rule.transformKey);
  if (cache === undefined) {
    cache = new Map();
    s.multiTransformCache.set(rule.transformKey, cache);
  }
  const hit = cache.get(value);
  if (hit !== undefined) return hit;
  const out = [value];
  let v = value;
  for (const t of rule.transforms) {
    const r = t(v);
    if (r.changed) {
      v = r.value;
      out.push(v);
    }
  }
  if (value.length < 65536) cache.set(value, out);
  return out;
}

const unconditionalValues: readonly VarValue[] = [{ name: '', value: '' }];

/** The operators' context, reused by every link (evaluation never nests). */
const context: { -readonly [K in keyof MatchContext]: MatchContext[K] } = {
  state: undefined as unknown as TxState,
  capture: false,
  negated: false,
  matched: '',
};

/** The last variable a link matched: set by `evalLink`, read by `evalRule` (evaluation never nests). */
const last = { name: '', value: '', matched: '' };

/**
 * Whether `input` matches `rule`'s operator; on a match, records it as the matched variable, clearing the
 * rule's earlier matches first when `first`.
 */
function test(s: TxState, rule: Rule, ctx: MatchContext, v: VarValue, input: string, first: boolean): boolean {
  ctx.matched = '';
  if (rule.operator(input, ctx) === rule.negated) return false;
  if (first) s.matchedVars = [];
  s.matchedVar = input;
  s.matchedVarName = v.name;
  s.matchedVars.push({ name: v.name, value: input });
  last.name = v.name;
  last.value = input;
  last.matched = ctx.matched;
  return true;
}

/**
 * Evaluates one rule (one chain link) over its targets and returns whether it matched. After each matching
 * variable the link's effects run; with `out`, the link is an unchained rule and each match is also
 * recorded (effects and logging once per match, as ModSecurity v2 does).
 */
function evalLink(s: TxState, rule: Rule, out: RuleMatch[] | undefined): boolean {
  const values = rule.unconditional ? unconditionalValues : valuesOf(s, rule);
  if (values.length === 0) return false;
  const ctx = context;
  ctx.state = s;
  ctx.capture = rule.capture;
  ctx.negated = rule.negated;
  let matched = false;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as VarValue;
    if (rule.multiMatch) {
      let hit = false;
      for (const input of allTransformed(s, rule, v.value)) {
        if (test(s, rule, ctx, v, input, !matched)) {
          hit = true;
          break;
        }
      }
      if (!hit) continue;
    } else if (!test(s, rule, ctx, v, transformed(s, rule, v.value), !matched)) continue;
    matched = true;
    const effects = rule.effects;
    for (let e = 0; e < effects.length; e++) (effects[e] as Effect)(s);
    if (out !== undefined) record(s, rule, last, disrupts(rule), out);
  }
  return matched;
}

function record(
  s: TxState,
  rule: Rule,
  last: { readonly name: string; readonly value: string; readonly matched: string },
  disruptive: boolean,
  out: RuleMatch[],
): void {
  if (!rule.log) return;
  out.push({
    id: rule.id,
    phase: rule.phase,
    msg: rule.msg === undefined ? '' : expandMacro(rule.msg, s),
    data: rule.logdata === undefined ? '' : expandMacro(rule.logdata, s),
    severity: rule.severity,
    tags: rule.tags,
    ver: rule.ver,
    file: rule.file,
    line: rule.line,
    operator: rule.operatorName,
    param: rule.operatorParam,
    negated: rule.negated,
    varName: last.name,
    value: last.value,
    matched: last.matched,
    disruptive,
  });
}

const disrupts = (r: Rule) => r.disruptive === 'deny' || r.disruptive === 'drop' || r.disruptive === 'redirect';

/** Evaluates a chain starter and its chain; on a full match runs effects and records log entries. */
function evalRule(s: TxState, rule: Rule, out: RuleMatch[]): boolean {
  s.rule = rule;
  if (rule.chain === undefined) return evalLink(s, rule, out);
  // Each link's actions run for each variable it matches: later links read what earlier ones set.
  for (let link: Rule | undefined = rule; link !== undefined; link = link.chain) {
    if (!evalLink(s, link, undefined)) return false;
  }
  record(s, rule, last, disrupts(rule), out);
  return true;
}

/** Runs one phase. Matches are appended to `out`. Never throws on request data. */
export function runPhase(s: TxState, plan: PhasePlan, out: RuleMatch[]): PhaseOutcome {
  const outcome: PhaseOutcome = { disruptedBy: undefined, allowed: undefined };
  s.readCache.clear();
  s.targetCache.clear();
  const items = plan.items;
  for (let i = 0; i < items.length; i++) {
    const rule = items[i] as Rule | Marker;
    if (rule.kind === 'marker') continue;
    if (s.isRemoved(rule.id, rule.tags)) continue;
    let matched: boolean;
    try {
      matched = evalRule(s, rule, out);
    } catch (err) {
      // A bug of ours must not take the request down: record it where the recommended rule 200005 looks.
      s.tx.set('msc_rule_error', `rule ${rule.id}: ${(err as Error).message}`);
      continue;
    }
    if (!matched) continue;
    if (rule.disruptive === 'allow') {
      outcome.allowed = rule.allowScope;
      return outcome;
    }
    if (disrupts(rule) && s.engineMode !== 'detectiononly' && s.engineMode !== 'off') {
      outcome.disruptedBy = rule;
      return outcome;
    }
    if (rule.skipAfter !== undefined) {
      i = plan.markers.get(rule.skipAfter) ?? items.length;
    } else if (rule.skip > 0) {
      let n = rule.skip;
      while (n > 0 && i + 1 < items.length) {
        i++;
        if ((items[i] as Rule | Marker).kind === 'rule') n--;
      }
    }
  }
  return outcome;
}
