/**
 * Checks of a query's annotations and errors against `expect warn|info|no_warn|no_info|fail` lines, as
 * upstream's `checkAnnotations` and `checkExpectedFailure`.
 */
import type { EvalCommand, MessageMatch } from './commands.ts';

/** Whether `text` meets the condition: the exact message, or an unanchored regular expression match. */
export function messageMatches(m: MessageMatch, text: string): boolean {
  return m.kind === 'msg' ? m.text === text : m.regex.test(text);
}

function describe(m: MessageMatch): string {
  return m.kind === 'msg' ? `message ${JSON.stringify(m.text)}` : `pattern ${JSON.stringify(m.regex.source)}`;
}

/** Why the annotations of a successful query do not meet `cmd`'s expectations, or null. */
export function annotationError(
  cmd: EvalCommand,
  warnings: readonly string[],
  infos: readonly string[],
): string | null {
  if (cmd.legacyWarn && warnings.length === 0) return 'expected warnings but got none';
  if (cmd.legacyInfo && infos.length === 0) return 'expected info annotations but got none';
  const all = [...warnings, ...infos];
  const ofType = (type: string, expected: readonly MessageMatch[], actual: readonly string[]): string | null => {
    if (expected.length === 0) return null;
    if (actual.length === 0) return `expected ${type} annotations but none were found`;
    for (const e of expected) {
      if (!actual.some((a) => messageMatches(e, a))) {
        return `expected ${type} annotation matching ${describe(e)} but no matching annotation was found, found: ${JSON.stringify(all)}`;
      }
    }
    for (const a of actual) {
      if (!expected.some((e) => messageMatches(e, a))) return `unexpected ${type} annotation ${JSON.stringify(a)}`;
    }
    return null;
  };
  const problem = ofType('warn', cmd.warn, warnings) ?? ofType('info', cmd.info, infos);
  if (problem !== null) return problem;
  if (cmd.noWarn && warnings.length > 0) return `unexpected warning annotations: ${JSON.stringify(all)}`;
  if (cmd.noInfo && infos.length > 0) return `unexpected info annotations: ${JSON.stringify(all)}`;
  return null;
}

/** Whether the query is expected to fail (`expect fail` or `eval_fail`). */
export function expectsFailure(cmd: EvalCommand): boolean {
  return cmd.legacyFail || cmd.fail.length > 0;
}

/** Why the error message of a query expected to fail is not the expected one, or null. */
export function failureMessageError(cmd: EvalCommand, message: string): string | null {
  for (const m of [cmd.legacyFailMatch, cmd.fail[0]]) {
    if (m != null && !messageMatches(m, message)) {
      return `expected error matching ${describe(m)}, but got: ${JSON.stringify(message)}`;
    }
  }
  return null;
}
