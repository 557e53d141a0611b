/** Where a query error points: the API's PromQL errors start with `line:col:`. */

/**
 * The range a PromQL error names: its message starts with `line:col:` (1-based, columns counting characters),
 * once the API's `invalid parameter "query": ` prefix is taken off (see queryErrorText).
 */
export function errorRange(doc: string, message: string): { from: number; to: number } | undefined {
  const m = /^(\d+):(\d+):/.exec(message);
  if (!m) return undefined;
  const lines = doc.split('\n');
  const line = Number(m[1]);
  if (line < 1 || line > lines.length) return undefined;
  let from = 0;
  for (let i = 0; i < line - 1; i++) from += (lines[i] as string).length + 1;
  // A position at the end of the input (`unexpected end of input`) marks the last character.
  from = Math.max(0, Math.min(from + Number(m[2]) - 1, doc.length - 1));
  return { from, to: Math.min(from + 1, doc.length) };
}

/** The error as the user reads it: the PromQL message without the API's parameter prefix. */
export function queryErrorText(message: string): string {
  return message.replace(/^invalid parameter "query": /, '');
}
