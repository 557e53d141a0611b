/** Errors of the WAF engine. All of them happen while loading a configuration; evaluation never throws. */

/** A configuration that cannot be loaded: names the file and line of the directive at fault. */
export class WafConfigError extends Error {
  readonly code = 'WAF_CONFIG';
  constructor(
    message: string,
    /** File the directive came from. */
    readonly file: string,
    /** 1-based line where the directive starts. */
    readonly line: number,
    options?: { cause?: unknown },
  ) {
    super(`${file}:${line}: ${message}`, options);
    this.name = 'WafConfigError';
  }
}
