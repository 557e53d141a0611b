/**
 * Phase evaluation: runs a phase's rules in order over a transaction's state, with chains, skipAfter,
 * run-time exclusions, transformation caching and anomaly bookkeeping left to the rules' own setvars.
 */
import { expandMacro } from './macro.ts';
import type { RuleMatch } from './match.ts';
import type { MatchContext } from './operators/index.ts';
import type { Marker, Rule } from './rule.ts';
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

const noExclusions: Target[] = [];

function exclusionsFor(s: TxState, rule: Rule): readonly Target[] {
  const byId = s.removedTargetsById.get(rule.id);
  const byTag = s.removedTargetsByTag.filter((x) => rule.tags.includes(x.tag)).map((x) => x.target);
  if (byId === undefined && byTag.length === 0) return rule.exclusions.length === 0 ? noExclusions : rule.exclusions;
  return [...rule.exclusions, ...(byId ?? []), ...byTag];
}

function transformed(s: TxState, rule: Rule, value: string): string {
  if (rule.transforms.length === 0) return value;
  let cache = s.transformCache.get(rule.transformKey);
  if (cache === undefined) {
    cache = new Map();
    s.transformCache.set(rule.transformKey, cache);
  }
  const hit = cache.get(value);
  if (hit !== undefined) return hit;
  let v = value;
  for (const t of rule.transforms) v = t(v).value;
  if (value.length < 65536) cache.set(value, v);
  return v;
}

function allTransformed(rule: Rule, value: string): string[] {
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

interface LinkResult {
  matched: boolean;
  last: { name: string; value: string; matched: string };
}

/**
 * Evaluates one rule (one chain link) over its targets. `perMatch` runs after each matching variable (for
 * unchained rules: effects and logging once per match, as ModSecurity v2 does).
 */
function evalLink(s: TxState, rule: Rule, perMatch: ((v: VarValue, matched: string) => void) | undefined): LinkResult {
  const values: VarValue[] = rule.unconditional
    ? [{ name: '', value: '' }]
    : resolveTargets(s, rule.targets, exclusionsFor(s, rule));
  const ctx: MatchContext = { state: s, capture: rule.capture, matched: '' };
  const result: LinkResult = { matched: false, last: { name: '', value: '', matched: '' } };
  let cleared = false;
  for (const v of values) {
    const inputs = rule.multiMatch ? allTransformed(rule, v.value) : [transformed(s, rule, v.value)];
    for (const input of inputs) {
      ctx.matched = '';
      if (rule.operator(input, ctx) === rule.negated) continue;
      if (!cleared) {
        s.matchedVars = [];
        cleared = true;
      }
      s.matchedVar = input;
      s.matchedVarName = v.name;
      s.matchedVars.push({ name: v.name, value: input });
      result.matched = true;
      result.last = { name: v.name, value: input, matched: ctx.matched };
      perMatch?.(v, ctx.matched);
      break;
    }
  }
  return result;
}

function record(s: TxState, rule: Rule, last: LinkResult['last'], disruptive: boolean, out: RuleMatch[]): void {
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
  if (rule.chain === undefined) {
    const r = evalLink(s, rule, (_v, _m) => {
      for (const e of rule.effects) e(s);
      record(s, rule, { name: s.matchedVarName, value: s.matchedVar, matched: _m }, disrupts(rule), out);
    });
    return r.matched;
  }
  let link: Rule | undefined = rule;
  let last: LinkResult['last'] = { name: '', value: '', matched: '' };
  while (link !== undefined) {
    // Each link's actions run for each variable it matches: later links read what earlier ones set.
    const effects = link.effects;
    const r = evalLink(
      s,
      link,
      effects.length === 0
        ? undefined
        : () => {
            for (const e of effects) e(s);
          },
    );
    if (!r.matched) return false;
    last = r.last;
    link = link.chain;
  }
  record(s, rule, last, disrupts(rule), out);
  return true;
}

/** Runs one phase. Matches are appended to `out`. Never throws on request data. */
export function runPhase(s: TxState, plan: PhasePlan, out: RuleMatch[]): PhaseOutcome {
  const outcome: PhaseOutcome = { disruptedBy: undefined, allowed: undefined };
  s.readCache.clear();
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
