/** A compiled rule: what the engine evaluates. Built once at load (compile.ts); read-only afterwards. */
import type { Macro } from './macro.ts';
import type { Comparison } from './operators/numeric.ts';
import type { Operator } from './operators/types.ts';
import type { TxState } from './state.ts';
import type { Transformation } from './transformations/index.ts';
import type { Target } from './variables/select.ts';

/** A non-disruptive action run when the rule (its whole chain) matches: setvar, ctl, initcol, … */
export type Effect = (s: TxState) => void;

/**
 * What a rule does when it compares one TX variable, named by key, to a constant number with no
 * transformation (CRS's paranoia-level gates and score checks): it matches when the variable is set and
 * `compare(comparison, toInt(value), param)` differs from `negated`.
 */
export interface TxComparison {
  /** The TX key, lower-case. */
  readonly key: string;
  /** The variable name, `TX:key`. */
  readonly name: string;
  readonly comparison: Comparison;
  readonly param: number;
}

export type Disruptive = 'pass' | 'block' | 'deny' | 'drop' | 'allow' | 'redirect';

export interface Rule {
  readonly kind: 'rule';
  id: number;
  phase: number;
  file: string;
  line: number;
  /** A SecAction: matches once, with no target. */
  unconditional: boolean;
  /** Targets in rule order; exclusions (`!` and later SecRuleUpdateTargetById ones) apply to all of them. */
  targets: Target[];
  exclusions: Target[];
  /**
   * `targets` and `exclusions` written out: rules with the same key select the same values. Set when the
   * engine is built.
   */
  targetKey: string;
  /** `targetKey` as a number, from 0, the same for the same key; set when the engine is built. */
  targetId: number;
  /** Every target (and exclusion) reads a variable no rule changes within a phase; set when the engine is built. */
  targetsFixed: boolean;
  /** Set when the engine is built for a rule of that shape; the generic evaluation gives the same result. */
  txComparison: TxComparison | undefined;
  operatorName: string;
  operatorParam: string;
  operator: Operator;
  negated: boolean;
  transformNames: string[];
  transforms: Transformation[];
  /** `transformNames` joined; set when the engine is built. */
  transformKey: string;
  /** `transformKey` as a number, from 0, the same for the same chain: the key of the transformation caches. */
  transformId: number;
  /** The rule says `t:none`: the default action's transformations are not prepended. */
  transformsReset: boolean;
  multiMatch: boolean;
  capture: boolean;
  msg: Macro | undefined;
  logdata: Macro | undefined;
  /** 0 (EMERGENCY) … 7 (DEBUG). */
  severity: number | undefined;
  tags: string[];
  /** `tags` as a set, for run-time exclusions by tag; set when the engine is built. */
  tagSet: ReadonlySet<string>;
  /**
   * The tag last looked up in `tagSet` and whether it is there: run-time exclusions ask each rule about the
   * same tag in every transaction. Only `hasTag` reads and writes them.
   */
  lastTag: string | undefined;
  lastTagFound: boolean;
  ver: string | undefined;
  rev: string | undefined;
  maturity: string | undefined;
  accuracy: string | undefined;
  disruptive: Disruptive | undefined;
  /** For `allow`: '' (everything), 'phase' or 'request'. */
  allowScope: string;
  status: number | undefined;
  log: boolean | undefined;
  auditlog: boolean | undefined;
  effects: Effect[];
  /** The next rule of the chain; `chainFlag` says the rule had `chain`. */
  chain: Rule | undefined;
  chainFlag: boolean;
  skipAfter: string | undefined;
  skip: number;
  /** Set on chained (non-first) rules. */
  chained: boolean;
}

/** A `SecMarker`: the landing place of `skipAfter`. Present in every phase's list. */
export interface Marker {
  readonly kind: 'marker';
  readonly name: string;
}

/** Whether `rule` has tag `tag`. */
export function hasTag(rule: Rule, tag: string): boolean {
  if (rule.lastTag !== tag) {
    rule.lastTagFound = rule.tagSet.has(tag);
    rule.lastTag = tag;
  }
  return rule.lastTagFound;
}

export const severities = ['EMERGENCY', 'ALERT', 'CRITICAL', 'ERROR', 'WARNING', 'NOTICE', 'INFO', 'DEBUG'];

export function newRule(file: string, line: number): Rule {
  return {
    kind: 'rule',
    id: 0,
    phase: 2,
    file,
    line,
    unconditional: false,
    targets: [],
    exclusions: [],
    targetKey: '',
    targetId: 0,
    targetsFixed: false,
    txComparison: undefined,
    operatorName: 'unconditionalMatch',
    operatorParam: '',
    operator: () => true,
    negated: false,
    transformNames: [],
    transforms: [],
    transformsReset: false,
    transformKey: '',
    transformId: 0,
    multiMatch: false,
    capture: false,
    msg: undefined,
    logdata: undefined,
    severity: undefined,
    tags: [],
    tagSet: new Set(),
    lastTag: undefined,
    lastTagFound: false,
    ver: undefined,
    rev: undefined,
    maturity: undefined,
    accuracy: undefined,
    disruptive: undefined,
    allowScope: '',
    status: undefined,
    log: undefined,
    auditlog: undefined,
    effects: [],
    chain: undefined,
    chainFlag: false,
    skipAfter: undefined,
    skip: 0,
    chained: false,
  };
}
