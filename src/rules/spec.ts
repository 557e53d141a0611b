/** Rule groups and rules as a rule file declares them, validated and compiled (expressions parsed). */
import type { Labels } from '../model/index.ts';
import type { Expr } from '../promql/index.ts';

/** One recording or alerting rule. */
export interface RuleSpec {
  readonly kind: 'recording' | 'alerting';
  /** The `record` metric name or the `alert` name. */
  readonly name: string;
  readonly expr: Expr;
  /** The expression as Prometheus prints it (what the API shows and what is evaluated). */
  readonly query: string;
  /** `for`: how long an alert stays pending before it fires; 0 for recording rules. */
  readonly forMs: number;
  /** `keep_firing_for`: how long a firing alert stays firing after its condition cleared. */
  readonly keepFiringForMs: number;
  /** The group's labels overlaid with the rule's own (label values of alerting rules are templates). */
  readonly labels: Labels;
  /** Name and template text of each annotation, sorted by name. */
  readonly annotations: readonly (readonly [string, string])[];
}

/** A rule group: rules evaluated in order, at one interval, never overlapping. */
export interface GroupSpec {
  /** The rule file, as given (its path after glob expansion). */
  readonly file: string;
  readonly name: string;
  /** `interval`; 0 means `global.evaluation_interval`. */
  readonly intervalMs: number;
  /** Most series (recording) or alerts (alerting) one rule may produce; 0 means no limit. */
  readonly limit: number;
  /** `query_offset`: rules are evaluated this far in the past. */
  readonly queryOffsetMs: number;
  readonly rules: readonly RuleSpec[];
}

/** `file;name`, the identity of a group across reloads (and the `rule_group` label of its metrics). */
export function groupKey(file: string, name: string): string {
  return `${file};${name}`;
}
