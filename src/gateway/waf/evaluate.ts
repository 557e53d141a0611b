/**
 * Phase evaluation: runs a phase's rules in order over a transaction's state, with chains, skipAfter,
 * run-time exclusions, transformation caching and anomaly bookkeeping left to the rules' own setvars.
 */
import { expandMacro } from './macro.ts';
import type { RuleMatch } from './match.ts';
import type { MatchContext } from './operators/index.ts';
import { compare, toInt } from './operators/numeric.ts';
import type { Effect, Marker, Rule, TxComparison } from './rule.ts';
import {
  allTransformed,
  changingValues,
  fixedValues,
  inputsOf,
  runtimeExclusions,
  transformed,
} from './rule-values.ts';
import type { Inputs, TxState, VarValue } from './state.ts';

/** One phase's list and where each marker sits in it. */
export interface PhasePlan {
  readonly items: ReadonlyArray<Rule | Marker>;
  readonly markers: ReadonlyMap<string, number>;
  /** For the item at each index, a rule with `skipAfter`: the index of its marker (`items.length` when none). */
  readonly jumps: Int32Array;
}

/** What a phase run asks of the transaction. */
export interface PhaseOutcome {
  /** The rule whose disruptive action fired (deny, drop, redirect), if any. */
  disruptedBy: Rule | undefined;
  /** `allow` fired: the scope ('' = rest of the transaction, 'phase', 'request'). */
  allowed: string | undefined;
}

const unconditionalValues: readonly VarValue[] = [{ name: '', value: '' }];

/** The operators' context, reused by every link (evaluation never nests). */
const context: { -readonly [K in keyof MatchContext]: MatchContext[K] } = {
  state: undefined as unknown as TxState,
  capture: false,
  negated: false,
  matched: '',
  rxValues: undefined,
  inputIndex: 0,
};

/** The last variable a link matched: set by `evalLink`, read by `evalRule` (evaluation never nests). */
const last = { name: '', value: '', matched: '' };

/**
 * Whether `input` matches `rule`'s operator; on a match, records it as the matched variable, clearing the
 * rule's earlier matches first when `first`.
 */
function test(s: TxState, rule: Rule, ctx: MatchContext, name: string, input: string, first: boolean): boolean {
  ctx.matched = '';
  if (rule.operator(input, ctx) === rule.negated) return false;
  matchedVar(s, name, input, first, ctx.matched);
  return true;
}

/** Records `input` (of variable `name`) as the matched variable, clearing earlier matches when `first`. */
function matchedVar(s: TxState, name: string, input: string, first: boolean, matched: string): void {
  if (first) s.matchedVars = [];
  s.matchedVar = input;
  s.matchedVarName = name;
  s.matchedVars.push({ name, value: input });
  last.name = name;
  last.value = input;
  last.matched = matched;
}

/**
 * `evalLink` for a rule with a TX comparison and no run-time exclusions: the operator's result without the
 * value list or the operator call.
 */
function evalComparison(s: TxState, rule: Rule, c: TxComparison, out: RuleMatch[] | undefined): boolean {
  const value = s.tx.get(c.key);
  if (value === undefined || compare(c.comparison, toInt(value), c.param) === rule.negated) return false;
  matchedVar(s, c.name, value, true, rule.negated ? '' : value);
  const effects = rule.effects;
  for (let e = 0; e < effects.length; e++) (effects[e] as Effect)(s);
  if (out !== undefined) record(s, rule, last, disrupts(rule), out);
  return true;
}

/**
 * Evaluates one rule (one chain link) over its targets and returns whether it matched. After each matching
 * variable the link's effects run; with `out`, the link is an unchained rule and each match is also
 * recorded (effects and logging once per match, as ModSecurity v2 does).
 */
function evalLink(s: TxState, rule: Rule, out: RuleMatch[] | undefined): boolean {
  if (rule.unconditional) return evalValues(s, rule, unconditionalValues, undefined, out);
  const extra = runtimeExclusions(s, rule);
  const c = rule.txComparison;
  if (c !== undefined && extra.targets.length === 0) return evalComparison(s, rule, c, out);
  if (!rule.targetsFixed) return evalValues(s, rule, changingValues(s, rule, extra), undefined, out);
  const list = fixedValues(s, rule, extra);
  return evalValues(s, rule, list.values, rule.multiMatch ? undefined : inputsOf(s, rule, list), out);
}

/** `evalLink` over `values`, transformed already in `inputs` (same order) when given. */
function evalValues(
  s: TxState,
  rule: Rule,
  values: readonly VarValue[],
  inputs: Inputs | undefined,
  out: RuleMatch[] | undefined,
): boolean {
  if (values.length === 0) return false;
  const ctx = context;
  ctx.state = s;
  ctx.capture = rule.capture;
  ctx.negated = rule.negated;
  ctx.rxValues = inputs === undefined ? undefined : inputs.rx;
  let matched = false;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as VarValue;
    if (rule.multiMatch) {
      let hit = false;
      for (const input of allTransformed(s, rule, v.value)) {
        if (test(s, rule, ctx, v.name, input, !matched)) {
          hit = true;
          break;
        }
      }
      if (!hit) continue;
    } else {
      ctx.inputIndex = i;
      const input = inputs === undefined ? transformed(s, rule, v.value) : (inputs.strings[i] as string);
      if (!test(s, rule, ctx, v.name, input, !matched)) continue;
    }
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
  s.excludedTargetCache.clear();
  s.targetValues.clear();
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
      i = plan.jumps[i] as number;
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
