/** Errors of the PromQL parser. */
import type { PositionRange } from './ast.ts';

/** One problem found in a query: what, and where (byte offsets into the UTF-8 encoded query). */
export interface ParseProblem {
  readonly positionRange: PositionRange;
  /** The bare message, like `unexpected <by>`. */
  readonly message: string;
  /** 1-based line and byte column of `positionRange.start`; 0 when the query is empty. */
  readonly line: number;
  readonly column: number;
}

/**
 * Upstream's `line:col` of a position (`unknown position` for an empty query): the line counts newlines before the
 * byte offset, the column is the byte distance from the last newline.
 */
export function startPosInput(query: string, pos: number): string {
  const lc = lineColumn(query, Buffer.from(query, 'utf8'), pos);
  if (lc === undefined) return query === '' ? 'unknown position' : 'invalid position';
  return `${lc.line}:${lc.column}`;
}

function lineColumn(query: string, bytes: Uint8Array, pos: number): { line: number; column: number } | undefined {
  if (query === '' || pos < 0 || pos > bytes.length) return undefined;
  let line = 1;
  let lastBreak = -1;
  for (let i = bytes.indexOf(0x0a); i >= 0 && i < pos; i = bytes.indexOf(0x0a, i + 1)) {
    line++;
    lastBreak = i;
  }
  return { line, column: pos - lastBreak };
}

/** Formats a problem the way upstream's `ParseErr.Error()` does: `1:14: parse error: unexpected <by>`. */
export function formatProblem(query: string, p: Pick<ParseProblem, 'positionRange' | 'message'>): string {
  return `${startPosInput(query, p.positionRange.start)}: parse error: ${p.message}`;
}

/** Builds a problem with its line and column resolved; `bytes` is the UTF-8 encoding of `query`. */
export function makeProblem(
  query: string,
  bytes: Uint8Array,
  positionRange: PositionRange,
  message: string,
): ParseProblem {
  const lc = lineColumn(query, bytes, positionRange.start) ?? { line: 0, column: 0 };
  return { positionRange, message, line: lc.line, column: lc.column };
}

/**
 * A query that does not parse or does not type-check. `message` is the first problem in upstream's form
 * (`1:14: parse error: unexpected <by>`), which is what Prometheus' API reports; `problems` holds all of them,
 * in the order the parser found them.
 */
export class ParseError extends Error {
  readonly code = 'PROMQL_PARSE';
  constructor(
    readonly query: string,
    readonly problems: readonly ParseProblem[],
  ) {
    super(problems.length > 0 ? formatProblem(query, problems[0] as ParseProblem) : 'error contains no error message');
    this.name = 'ParseError';
  }
}
