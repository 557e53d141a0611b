import type { TxState } from '../state.ts';
import type { RxValue } from './rx-set.ts';

/** Per-evaluation context of an operator. */
export interface MatchContext {
  readonly state: TxState;
  /** Set when the rule has `capture`: the operator writes TX.0–TX.9. */
  readonly capture: boolean;
  /**
   * The rule is negated: a match fails it, so an operator need not work out `matched` (captures are still
   * set).
   */
  readonly negated?: boolean;
  /** Out: what matched, for the log line. */
  matched: string;
  /**
   * Set when the input is one of a list the phase's rules share (evaluate.ts): `@rx` keeps the input's
   * RxValue at `rxValues[inputIndex]` for the next rule reading the same input.
   */
  readonly rxValues?: (RxValue | undefined)[] | undefined;
  readonly inputIndex?: number;
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

const captureNames = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

/** Sets TX.0–TX.9 from a match, clearing the slots the match does not fill. */
export function setCaptures(s: TxState, groups: readonly (string | undefined)[]): void {
  for (let i = 0; i < 10; i++) {
    const g = groups[i];
    if (g === undefined) s.tx.delete(captureNames[i] as string);
    else s.tx.set(captureNames[i] as string, g);
  }
}
