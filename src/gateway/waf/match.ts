/** What a rule match leaves behind: the log entry the transaction result and log lines are built from. */

export interface RuleMatch {
  readonly id: number;
  readonly phase: number;
  readonly msg: string;
  readonly data: string;
  /** 0 (EMERGENCY) … 7 (DEBUG), or undefined when the rule has none. */
  readonly severity: number | undefined;
  readonly tags: readonly string[];
  readonly ver: string | undefined;
  readonly file: string;
  readonly line: number;
  /** The operator and its parameter, for the log line. */
  readonly operator: string;
  readonly param: string;
  readonly negated: boolean;
  /** The last matched variable of the rule (its chain's last link) and its value. */
  readonly varName: string;
  readonly value: string;
  readonly matched: string;
  /** Whether this match interrupts (deny/drop/redirect with the engine On) or would (DetectionOnly). */
  readonly disruptive: boolean;
}
