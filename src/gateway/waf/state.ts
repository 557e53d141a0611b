/**
 * What the rules of one transaction see: the request and response parts gathered so far, the TX collection,
 * the matched-variable state and the run-time rule exclusions. All strings are Latin-1 (one character per
 * byte) so that rules match bytes as ModSecurity does.
 */
import type { Macro } from './macro.ts';
import type { RxValue } from './operators/rx-set.ts';
import type { RecentTransforms } from './recent-transforms.ts';
import type { RuleExclusions } from './rule-values.ts';
import type { Target } from './variables/select.ts';

/** One member of a collection; `key` keeps the case it arrived with. */
export interface Pair {
  key: string;
  value: string;
}

/** A value handed to an operator: the full variable name (`ARGS:id`) and the value. */
export interface VarValue {
  readonly name: string;
  readonly value: string;
}

/**
 * The values a target list selects in one phase, and those values transformed by each transformation chain
 * (`Rule.transformId`) rules read them through. Shared by the phase's rules; only rule-values.ts adds to it.
 */
export interface ValueList {
  readonly values: readonly VarValue[];
  /** The chains the values were transformed by so far, and the results, at the same index. */
  readonly chains: number[];
  readonly inputs: Inputs[];
}

/**
 * A value list transformed by one chain: the inputs, and where `@rx` keeps what it knows of each (filled
 * as rules read them).
 */
export interface Inputs {
  readonly strings: readonly string[];
  readonly rx: (RxValue | undefined)[];
}

/** Collections that hold members (the others are single values in `scalars`). */
export const memberCollections = [
  'ARGS_GET',
  'ARGS_POST',
  'REQUEST_HEADERS',
  'REQUEST_COOKIES',
  'RESPONSE_HEADERS',
  'FILES',
  'FILES_SIZES',
  'FILES_TMPNAMES',
  'MULTIPART_PART_HEADERS',
  'ENV',
  'GEO',
] as const;

export type MemberCollection = (typeof memberCollections)[number];

/** Run-time state of one transaction, shared by variables, operators and actions. */
export class TxState {
  readonly members = new Map<string, Pair[]>();
  /** Single-valued variables by upper-case name (REQUEST_URI, REQBODY_ERROR, …). */
  readonly scalars = new Map<string, string>();
  /** TX, keyed by lower-case name. */
  readonly tx = new Map<string, string>();
  /** Other persistent-style collections (IP, GLOBAL, SESSION, …) initialised by initcol, per transaction. */
  readonly named = new Map<string, Map<string, string>>();
  /** XML body: text of the whole document, and every attribute value. Null when no XML was parsed. */
  xml: { text: string; attributes: string[] } | null = null;
  matchedVar = '';
  matchedVarName = '';
  matchedVars: VarValue[] = [];
  /** Rule ids removed for the rest of this transaction (ctl:ruleRemoveById). */
  readonly removedIds: Array<[number, number]> = [];
  readonly removedTags: string[] = [];
  /** Target exclusions added at run time, by rule id, and by tag. */
  readonly removedTargetsById = new Map<number, Target[]>();
  readonly removedTargetsByTag: Array<{ tag: string; target: Target }> = [];
  /** The rule being evaluated, for the RULE collection (`%{rule.id}`, `%{rule.msg}`). */
  rule: { readonly id: number; readonly msg: Macro | undefined; readonly severity: number | undefined } | undefined =
    undefined;
  /** ctl:ruleEngine for this transaction (On, Off, DetectionOnly), overriding the configuration. */
  engineMode: string | undefined = undefined;
  /** The request body processor (URLENCODED, MULTIPART, JSON, XML), chosen by Content-Type or ctl. */
  bodyProcessor: string | undefined = undefined;
  forceRequestBodyVariable = false;
  /**
   * Collection reads of the current phase (ARGS, headers, cookies, files…: those that change only between
   * phases). Cleared when a phase starts.
   */
  readonly readCache = new Map<string, Pair[]>();
  /**
   * Value lists of the current phase, by `Rule.targetId`, for rules whose targets are all fixed within the
   * phase and that have no run-time exclusions. Cleared when a phase starts.
   */
  readonly targetCache = new Map<number, ValueList>();
  /** What each target over a collection fixed within the phase selects, by `Target.id`. Cleared when a phase starts. */
  readonly targetValues = new Map<number, readonly VarValue[]>();
  /** The same for rules with run-time exclusions, by exclusions then `Rule.targetId`. Cleared when a phase starts. */
  readonly excludedTargetCache = new Map<RuleExclusions, Map<number, ValueList>>();
  /** `removedTargetsByTag` grouped by tag, as of its first `from` entries (see rule-values.ts). */
  tagExclusions: {
    readonly from: number;
    readonly groups: ReadonlyArray<{ readonly tag: string; readonly exclusions: RuleExclusions }>;
  } = { from: 0, groups: [] };
  /** For rules reading one TX variable: its last value list, by target (see evaluate.ts `txValue`). */
  readonly txValues = new Map<Target, readonly VarValue[]>();
  /**
   * What `@rx` knows of each value of this transaction: its UTF-8 encoding (RE2 reads UTF-8; a value is
   * encoded once however many rules read it) and the set prefilter's results (operators/rx-set.ts).
   */
  readonly rxValues = new Map<string, RxValue>();
  /**
   * Transformation results of this transaction for values too long for `recentTransforms`, by chain
   * (`Rule.transformId`) then input.
   */
  readonly transformCache = new Map<number, Map<string, string>>();
  /** The engine's results kept across transactions, consulted when `transformCache` misses. */
  recentTransforms: RecentTransforms | undefined = undefined;
  /** The same for `multiMatch` rules: every intermediate result. */
  recentAllTransforms: RecentTransforms<readonly string[]> | undefined = undefined;
  /** The same for `multiMatch` rules: every intermediate transformation result. */
  readonly multiTransformCache = new Map<number, Map<string, readonly string[]>>();

  constructor() {
    for (const c of memberCollections) this.members.set(c, []);
  }

  member(c: MemberCollection): Pair[] {
    return this.members.get(c) as Pair[];
  }

  scalar(name: string): string {
    return this.scalars.get(name) ?? '';
  }

  setTx(name: string, value: string): void {
    this.tx.set(name.toLowerCase(), value);
  }

  isRemoved(id: number, tags: readonly string[]): boolean {
    if (this.removedIds.length === 0 && this.removedTags.length === 0) return false;
    for (const [lo, hi] of this.removedIds) if (id >= lo && id <= hi) return true;
    for (const t of this.removedTags) if (tags.includes(t)) return true;
    return false;
  }
}
