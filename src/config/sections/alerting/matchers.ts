/** Alertmanager's label matchers: the `matchers` syntax, its sort order and its printed form. */
import { INVALID, list, regexProblem, type Schema, scalar } from '../../schema.ts';
import { q } from './shared.ts';

/** Matcher operators: equal, not equal, regex match, regex non-match. */
export type MatchType = '=' | '!=' | '=~' | '!~';
const matchTypes: readonly MatchType[] = ['=', '!=', '=~', '!~'];

/** A label matcher. For `=~`/`!~`, `value` is an unanchored RE2 regex, matched as `^(?:value)$`. */
export type Matcher = { readonly name: string; readonly type: MatchType; readonly value: string };

const matcherPattern = /^\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(=~|=|!=|!~)\s*([\s\S]*?)\s*$/;

function parseMatcher(token: string): Matcher | { error: string } {
  const m = matcherPattern.exec(token);
  if (m === null) return { error: `bad matcher format: ${token}` };
  const [, name = '', type = '=', raw = ''] = m;
  const quoted = raw.startsWith('"');
  const chars = [...(quoted ? raw.slice(1) : raw)];
  const unescaped = `matcher value contains unescaped double quote: ${raw}`;
  let value = '';
  let closed = !quoted;
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i] as string;
    const last = i === chars.length - 1;
    if (c === '\\' && !last) {
      const next = chars[++i] as string;
      value += next === 'n' ? '\n' : next === '"' || next === '\\' ? next : `\\${next}`;
    } else if (c === '"') {
      if (closed || !last) return { error: unescaped };
      closed = true;
    } else {
      value += c;
    }
  }
  if (!closed) return { error: unescaped };
  const problem = type === '=~' || type === '!~' ? regexProblem(value) : undefined;
  return problem === undefined ? { name, type: type as MatchType, value } : { error: problem };
}

/**
 * Parses Alertmanager's matcher syntax: one or more comma-separated `name op value` (op one of `= != =~ !~`),
 * optionally wrapped in `{…}`; a value may be double-quoted with `\"`, `\n`, `\\` escapes. Returns the
 * matchers in input order, or the first error in Alertmanager's wording.
 */
export function parseMatchers(input: string): Matcher[] | { error: string } {
  const s = input.replace(/^\{/, '').replace(/\}$/, '');
  const tokens: string[] = [];
  let token = '';
  let inQuotes = false;
  let escaped = false;
  for (const c of s) {
    if (c === ',' && !inQuotes) {
      tokens.push(token);
      token = '';
      continue;
    }
    if (c === '"') {
      if (escaped) escaped = false;
      else inQuotes = !inQuotes;
    } else if (c === '\\') {
      escaped = !escaped;
    } else if (c !== ',') {
      escaped = false;
    }
    token += c;
  }
  if (token.trim() !== '') tokens.push(token.trim());
  const out: Matcher[] = [];
  for (const t of tokens) {
    const m = parseMatcher(t);
    if ('error' in m) return m;
    out.push(m);
  }
  return out;
}

/** Alertmanager's matcher order: by name, then value, then type (`=`, `!=`, `=~`, `!~`). */
export function compareMatchers(a: Matcher, b: Matcher): number {
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  if (a.value !== b.value) return a.value < b.value ? -1 : 1;
  return matchTypes.indexOf(a.type) - matchTypes.indexOf(b.type);
}

/** Prints a matcher as `name="value"` (or `!=`, `=~`, `!~`), the form Alertmanager prints. */
export function formatMatcher(m: Matcher): string {
  return `${m.name}${m.type}${q(m.value)}`;
}

const matcherLine = scalar<Matcher[]>('a matcher like severity="critical"', (text) => parseMatchers(text));
const matcherLines = list(matcherLine);

/** A `matchers` list of matcher strings, decoded to one sorted list of matchers (an item may hold several). */
export const matchers: Schema<Matcher[]> = {
  expected: matcherLines.expected,
  decode(node, ctx, path) {
    const lines = matcherLines.decode(node, ctx, path);
    return lines === INVALID ? INVALID : lines.flat().sort(compareMatchers);
  },
  encode: (ms) => ms.map(formatMatcher),
};
