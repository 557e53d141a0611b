import type { Rule } from '../rule.ts';
import type { Target } from '../variables/select.ts';

/** What an action needs at load besides its argument. */
export interface ActionEnv {
  /** Compiles a target list such as `ARGS:foo` (for ctl:ruleRemoveTarget*). */
  compileTargets(text: string): Target[] | string;
}

/** Applies an action to the rule being compiled; returns the reason the argument is invalid, if it is. */
export type ActionFactory = (arg: string | undefined, rule: Rule, env: ActionEnv) => string | undefined;
