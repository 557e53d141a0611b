/** Compiles one SecRule/SecAction's three parts (targets, operator, actions) into a Rule. */
import RE2 from 're2';
import { type ActionEnv, type ActionFactory, actions } from '../actions/index.ts';
import { intern } from '../intern.ts';
import { type CompileEnv, type OperatorFactory, operators } from '../operators/index.ts';
import { newRule, type Rule } from '../rule.ts';
import { knownVariable } from '../variables/collections.ts';
import type { Target } from '../variables/select.ts';
import { parseActions } from './actions.ts';
import { parseTargets } from './variables.ts';

/** Compiles a target list; returns the reason when it is malformed or names an unknown variable. */
export function compileTargets(text: string): Target[] | string {
  const specs = parseTargets(text);
  if (typeof specs === 'string') return specs;
  const out: Target[] = [];
  for (const s of specs) {
    if (!knownVariable(s.collection)) return `unknown variable ${s.collection}`;
    let keyRegex: RE2 | undefined;
    if (s.keyRegex !== undefined) {
      try {
        keyRegex = new RE2(s.keyRegex, 'i');
      } catch (err) {
        return `invalid regex selector /${s.keyRegex}/: ${(err as Error).message}`;
      }
    }
    const key = s.key === undefined ? undefined : intern(s.key.toLowerCase());
    const collection = intern(s.collection);
    out.push({
      collection,
      key,
      name: intern(key === undefined ? collection : `${collection}:${key}`),
      keyRegex,
      keyMemo: keyRegex === undefined ? undefined : new Map(),
      exclude: s.exclude,
      count: s.count,
      id: -1,
    });
  }
  return out;
}

/** Splits `"!@rx foo"` into operator name (lower-case), parameter and negation. */
export function splitOperator(text: string): { name: string; param: string; negated: boolean } {
  let s = text.trimStart();
  let negated = false;
  if (s.startsWith('!')) {
    negated = true;
    s = s.slice(1).trimStart();
  }
  if (!s.startsWith('@')) return { name: 'rx', param: s, negated };
  const sp = s.search(/\s/);
  if (sp < 0) return { name: s.slice(1).toLowerCase(), param: '', negated };
  return { name: s.slice(1, sp).toLowerCase(), param: s.slice(sp).replace(/^\s/, ''), negated };
}

export const actionEnv: ActionEnv = { compileTargets };

/** Applies an action list to `rule`; returns the first problem. */
export function applyActions(rule: Rule, text: string): string | undefined {
  const specs = parseActions(text);
  if (typeof specs === 'string') return specs;
  for (const a of specs) {
    const f = (actions as Record<string, ActionFactory>)[a.name.toLowerCase()];
    if (f === undefined) return `unknown action ${a.name}`;
    const problem = f(a.arg, rule, actionEnv);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

/** Builds a rule; returns the reason it cannot be compiled. */
export function compileRule(
  file: string,
  line: number,
  targetText: string | undefined,
  operatorText: string | undefined,
  actionText: string,
  env: CompileEnv,
): Rule | string {
  const rule = newRule(file, line);
  rule.unconditional = targetText === undefined;
  if (targetText !== undefined) {
    const targets = compileTargets(targetText);
    if (typeof targets === 'string') return targets;
    rule.targets = targets.filter((t) => !t.exclude);
    rule.exclusions = targets.filter((t) => t.exclude);
  }
  if (operatorText !== undefined) {
    const op = splitOperator(operatorText);
    const factory = (operators as Record<string, OperatorFactory>)[op.name];
    if (factory === undefined) return `unknown operator @${op.name}`;
    const built = factory(op.param, env);
    if (typeof built !== 'function') return `@${op.name}: ${built.error}`;
    rule.operatorName = op.name;
    rule.operatorParam = op.param;
    rule.operator = built;
    rule.negated = op.negated;
  }
  const problem = applyActions(rule, actionText);
  if (problem !== undefined) return problem;
  return rule;
}
