/**
 * The commands of a PromQL `.test` file once parsed (upstream's `loadCmd`, `clearCmd`, `evalCmd`). Times are
 * Unix milliseconds (a file's time zero is the epoch); lines are 1-based.
 */
import type { Labels } from '../../model/index.ts';
import type { SequenceValue } from './series-desc.ts';

export interface LoadedSeries {
  readonly line: number;
  readonly labels: Labels;
  /** Point i is at `i × intervalMs`. */
  readonly values: readonly SequenceValue[];
  /** An `@st` line (or the block's default one) gives its samples start timestamps. */
  readonly startTimestamps: boolean;
}

export interface LoadCommand {
  readonly kind: 'load';
  readonly line: number;
  readonly intervalMs: number;
  /** `load_with_nhcb`: classic histograms are also loaded as native histograms with custom buckets. */
  readonly withNhcb: boolean;
  /** One entry per label set: a later line for the same labels replaces an earlier one (upstream's map). */
  readonly series: readonly LoadedSeries[];
}

export interface ClearCommand {
  readonly kind: 'clear';
  readonly line: number;
}

/** An `expect warn|info|fail` message condition: an exact message or an (unanchored) regular expression. */
export type MessageMatch =
  | { readonly kind: 'msg'; readonly text: string }
  | { readonly kind: 'regex'; readonly regex: RegExp };

export interface ExpectedSeries {
  /** 1-based position among the expected lines (for `expect ordered`). */
  readonly pos: number;
  readonly line: number;
  readonly labels: Labels;
  readonly values: readonly SequenceValue[];
}

export interface EvalCommand {
  readonly kind: 'eval';
  readonly line: number;
  readonly expr: string;
  readonly range: boolean;
  /**
   * Range query: its start, end and step. Instant query: `evalMs` is the evaluation time; with `expect range
   * vector` start/end/step describe the expected range vector and `evalMs` is its end, otherwise start is the
   * evaluation time, end is -Infinity and step 0 (so a matrix result can match only points-free expectations).
   */
  readonly startMs: number;
  readonly endMs: number;
  readonly stepMs: number;
  readonly evalMs: number;
  /** `expect fail` lines (at most one). */
  readonly fail: readonly MessageMatch[];
  /** `expect warn` lines: each must match a warning, and each warning one of them. */
  readonly warn: readonly MessageMatch[];
  /** `expect info` lines, as `warn`. */
  readonly info: readonly MessageMatch[];
  readonly noWarn: boolean;
  readonly noInfo: boolean;
  /** `expect ordered` or `eval_ordered`. */
  readonly ordered: boolean;
  /** The deprecated `eval_fail`, `eval_warn`, `eval_info`: the query fails, or has at least one such annotation. */
  readonly legacyFail: boolean;
  readonly legacyWarn: boolean;
  readonly legacyInfo: boolean;
  /** The deprecated `expected_fail_message` / `expected_fail_regexp` lines (after `eval_fail`). */
  readonly legacyFailMatch: MessageMatch | null;
  /** Set when the last expected line is a bare number. */
  readonly expectedScalar: number | null;
  /** Keyed by `Labels.key()`; a repeated label set keeps its last line. */
  readonly expected: ReadonlyMap<string, ExpectedSeries>;
  /** `expect string "…"`; a string result is compared with '' when absent, as upstream. */
  readonly expectedString: string;
  /** `expect string` or `expect range vector`: no re-run in range mode. */
  readonly excludeFromRangeQuery: boolean;
  /** Some expected line has a native histogram (`{{`). */
  readonly expectsNativeHistograms: boolean;
  /** The expected lines as written, for failure reports. */
  readonly expectedText: readonly string[];
}

export type Command = LoadCommand | ClearCommand | EvalCommand;

/** A `.test` file that does not parse; `line` is 1-based. */
export class TestSyntaxError extends Error {
  override readonly name = 'TestSyntaxError';
  readonly code = 'PROMQLTEST_SYNTAX';
  constructor(
    readonly file: string,
    readonly line: number,
    readonly reason: string,
  ) {
    super(`${file}:${line}: ${reason}`);
  }
}
