/** Log lines in ModSecurity's error-log format, one per logged rule match. */
import type { RuleMatch } from './match.ts';

/** Non-printable bytes as `\xHH`, double quotes escaped, as ModSecurity writes log fields. */
export function logEscape(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += '\\\\';
    else if (c < 0x20 || c >= 0x7f) out += `\\x${(c & 0xff).toString(16).padStart(2, '0')}`;
    else out += s[i];
  }
  return out;
}

const operatorTitle = (op: string) => op.charAt(0).toUpperCase() + op.slice(1);

/** Fields of the transaction the line names. */
export interface LogContext {
  readonly hostname: string;
  readonly uri: string;
  readonly uniqueId: string;
  /** Set when the match interrupted the transaction. */
  readonly deniedWith: { status: number; phase: number } | undefined;
}

export function formatLogLine(m: RuleMatch, ctx: LogContext): string {
  const head =
    ctx.deniedWith !== undefined
      ? `ModSecurity: Access denied with code ${ctx.deniedWith.status} (phase ${ctx.deniedWith.phase}).`
      : 'ModSecurity: Warning.';
  const what =
    m.varName === ''
      ? 'Unconditional match in SecAction.'
      : `Matched "Operator \`${operatorTitle(m.operator)}' with parameter \`${logEscape(m.param.slice(0, 200))}' against variable \`${logEscape(m.varName)}' (Value: \`${logEscape(m.value.slice(0, 200))}' )`;
  let line = `${head} ${what} [file "${m.file}"] [line "${m.line}"] [id "${m.id}"] [rev ""] [msg "${logEscape(m.msg)}"] [data "${logEscape(m.data)}"] [severity "${m.severity ?? 0}"] [ver "${m.ver ?? ''}"] [maturity "0"] [accuracy "0"]`;
  for (const t of m.tags) line += ` [tag "${logEscape(t)}"]`;
  line += ` [hostname "${logEscape(ctx.hostname)}"] [uri "${logEscape(ctx.uri)}"] [unique_id "${ctx.uniqueId}"] [ref ""]`;
  return line;
}
