/** Errors of the template module. */

export type TemplateErrorCode = 'TEMPLATE_PARSE' | 'TEMPLATE_EXEC';

/**
 * A template that does not parse (`TEMPLATE_PARSE`) or fails while executing (`TEMPLATE_EXEC`). The message reads
 * like Go's: `template: NAME:LINE: …` for parse errors, `template: NAME:LINE:COL: executing "NAME" at <NODE>: …`
 * for execution errors. `line` is 1-based; `column` is the 0-based character offset in that line of the failing node (as Go
 * prints it for execution errors; Go's parse errors print the line only, but `column` still points at the token).
 */
export class TemplateError extends Error {
  constructor(
    readonly code: TemplateErrorCode,
    /** Name of the template the failing text belongs to. */
    readonly template: string,
    readonly line: number,
    readonly column: number,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'TemplateError';
  }
}

/** 1-based line and 0-based column of offset `pos` in `text`. */
export function lineColumn(text: string, pos: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < pos; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: pos - lineStart };
}

/**
 * Thrown by a template function for arguments it cannot take (wrong count or type); the executor reports its
 * message as it is, where other failures read `error calling NAME: …` as in Go.
 */
export class ArgumentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ArgumentError';
  }
}
