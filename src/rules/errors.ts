/** Errors of the rules module: rule files that cannot be used, and rule evaluations that fail. */

/** One problem in a rule file, with its 1-based position (0 when the problem concerns the whole file). */
export interface RuleIssue {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  readonly message: string;
}

/** Formats an issue as `file:line:col: message`, the form editors and CI logs link to. */
export function formatRuleIssue(issue: RuleIssue): string {
  return issue.line > 0
    ? `${issue.file}:${issue.line}:${issue.col}: ${issue.message}`
    : `${issue.file}: ${issue.message}`;
}

/** Rule files that cannot be loaded. `issues` holds every problem found, in file order; nothing was applied. */
export class RuleFileError extends Error {
  readonly code = 'RULES_INVALID';
  constructor(
    readonly issues: readonly RuleIssue[],
    options?: { cause?: unknown },
  ) {
    super(issues.map(formatRuleIssue).join('\n'), options);
    this.name = 'RuleFileError';
  }
}

/** A rule's result holds two samples with the same labels once the rule's labels are applied. */
export class DuplicateLabelsetError extends Error {
  readonly code = 'RULES_DUPLICATE_LABELSET';
  constructor(readonly kind: 'recording' | 'alerting') {
    super(
      `vector contains metrics with the same labelset after applying ${kind === 'recording' ? 'rule' : 'alert'} labels`,
    );
    this.name = 'DuplicateLabelsetError';
  }
}

/** A rule produced more series (recording) or alerts (alerting) than its group's `limit`. */
export class RuleLimitError extends Error {
  readonly code = 'RULES_LIMIT_EXCEEDED';
  constructor(
    readonly kind: 'recording' | 'alerting',
    readonly limit: number,
    readonly count: number,
  ) {
    super(
      kind === 'recording'
        ? `exceeded limit ${limit} with ${count} series`
        : `exceeded limit of ${limit} with ${count} alerts`,
    );
    this.name = 'RuleLimitError';
  }
}

/** A rule's expression evaluated to a range vector or a string, which no rule can use. */
export class RuleResultTypeError extends Error {
  readonly code = 'RULES_RESULT_TYPE';
  constructor(readonly type: string) {
    super('rule result is not a vector or scalar');
    this.name = 'RuleResultTypeError';
  }
}
