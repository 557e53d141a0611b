/**
 * A prefilter for `@rx`: an engine's patterns grouped into RE2 sets, each group run once per distinct value
 * per transaction, so that the hundreds of `@rx` rules reading a value cost a lookup instead of a native
 * call each. A set reports pattern i exactly when pattern i alone would match, so a "no" from the set is the
 * operator's answer; a "yes" still runs the pattern itself for the matched text and captures. A group whose
 * set cannot be built, or whose match fails (RE2 runs out of DFA memory on some input), answers "unknown"
 * and its patterns run alone, as without the prefilter.
 */
import RE2 from 're2';

/** Patterns per set: small enough that a set's DFA stays within RE2's memory budget on ordinary values. */
const GROUP_SIZE = 32;
/** Match failures after which a group is no longer tried (its patterns then always run alone). */
const MAX_FAILURES = 16;

/** Values kept across transactions, and the longest kept (characters). */
const RECENT_MAX = 4096;
const RECENT_MAX_LENGTH = 256;

/**
 * What the `@rx` operators of a transaction know of one value: its UTF-8 encoding, and once a set has run,
 * per group (0 not run yet, 1 run, 2 failed) then per pattern (1 when its set matched).
 */
export interface RxValue {
  readonly bytes: Buffer;
  results: Uint8Array | undefined;
  /** What `exec` returned for a pattern, by its index (first ten groups; null: no match). */
  execs: Map<number, readonly (string | undefined)[] | null> | undefined;
}

export class RegexSetPrefilter {
  private readonly sets: Array<InstanceType<typeof RE2.Set> | null>;
  private readonly failures: number[];
  /** Values seen by earlier transactions, kept across them (results depend on the value alone). */
  private readonly recent = new Map<string, RxValue>();

  /** `patterns` all compiled with the same flags (compilePcre's). Never throws. */
  constructor(private readonly patterns: readonly RE2[]) {
    this.sets = [];
    for (let i = 0; i < patterns.length; i += GROUP_SIZE) {
      try {
        this.sets.push(new RE2.Set(patterns.slice(i, i + GROUP_SIZE), 'sm'));
      } catch {
        this.sets.push(null);
      }
    }
    this.failures = this.sets.map(() => 0);
  }

  /**
   * The entry for `input`, shared with earlier transactions when the value is short (header values, names
   * and small arguments repeat across requests). At most RECENT_MAX entries; all are dropped when full.
   */
  value(input: string): RxValue {
    if (input.length > RECENT_MAX_LENGTH)
      return { bytes: Buffer.from(input, 'utf8'), results: undefined, execs: undefined };
    let v = this.recent.get(input);
    if (v === undefined) {
      if (this.recent.size >= RECENT_MAX) this.recent.clear();
      v = { bytes: Buffer.from(input, 'utf8'), results: undefined, execs: undefined };
      this.recent.set(input, v);
    }
    return v;
  }

  /**
   * Whether pattern `index` matches `v.bytes`: true, false, or undefined when the set cannot tell. Results
   * are kept in `v`.
   */
  test(v: RxValue, index: number): boolean | undefined {
    const groups = this.sets.length;
    let r = v.results;
    if (r === undefined) {
      r = new Uint8Array(groups + this.patterns.length);
      v.results = r;
    }
    const g = (index / GROUP_SIZE) | 0;
    let state = r[g];
    if (state === 0) {
      state = this.run(g, v.bytes, r, groups) ? 1 : 2;
      r[g] = state;
    }
    return state === 1 ? r[groups + index] === 1 : undefined;
  }

  private run(g: number, bytes: Buffer, r: Uint8Array, groups: number): boolean {
    const set = this.sets[g];
    if (set === null || set === undefined || (this.failures[g] as number) >= MAX_FAILURES) return false;
    try {
      const base = groups + g * GROUP_SIZE;
      for (const i of set.match(bytes)) r[base + i] = 1;
      return true;
    } catch {
      this.failures[g] = (this.failures[g] as number) + 1;
      return false;
    }
  }
}
