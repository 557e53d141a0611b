/** Errors of the config module. */

/** One problem in a config file, with the position of the node it concerns (1-based line and column). */
export interface ConfigIssue {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  /** The key path in the file, like `scrape_configs[0].scrape_interval`; empty for the document itself. */
  readonly path: string;
  readonly message: string;
}

/** Formats an issue as `file:line:col: path: message`, the form editors and CI logs link to. */
export function formatIssue(issue: ConfigIssue): string {
  const where = issue.line > 0 ? `${issue.file}:${issue.line}:${issue.col}` : issue.file;
  return issue.path === '' ? `${where}: ${issue.message}` : `${where}: ${issue.path}: ${issue.message}`;
}

/** A config that cannot be used. `issues` holds every problem found, in file order. */
export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(
    readonly file: string,
    readonly issues: readonly ConfigIssue[],
    options?: { cause?: unknown },
  ) {
    super(issues.map(formatIssue).join('\n'), options);
    this.name = 'ConfigError';
  }
}
