import type { TxState } from '../state.ts';

/** Per-evaluation context of an operator. */
export interface MatchContext {
  readonly state: TxState;
  /** Set when the rule has `capture`: the operator writes TX.0–TX.9. */
  readonly capture: boolean;
  /** Out: what matched, for the log line. */
  matched: string;
}

/** An operator compiled at load. Returns whether `input` matches (before negation). Never throws. */
export type Operator = (input: string, ctx: MatchContext) => boolean;

/** What an operator factory may use at load time. */
export interface CompileEnv {
  /** Reads a data file named relative to the directory of the rule's file. Throws if unreadable. */
  readData(name: string): string;
}

/** Builds an operator from its parameter, or returns the reason the parameter is invalid. */
export type OperatorFactory = (param: string, env: CompileEnv) => Operator | { error: string };

/** Sets TX.0–TX.9 from a match, clearing the slots the match does not fill. */
export function setCaptures(s: TxState, groups: readonly (string | undefined)[]): void {
  for (let i = 0; i < 10; i++) {
    const g = groups[i];
    if (g === undefined) s.tx.delete(String(i));
    else s.tx.set(String(i), g);
  }
}
