/**
 * Label matchers (`name="v"`, `!=`, `=~`, `!~`) with Prometheus' semantics: regular expressions are RE2
 * syntax, fully anchored, with `.` matching newlines (`^(?s:re)$`), and run in linear time (RE2), so a
 * matcher from an API request cannot stall the server. Common shapes skip the regex engine: a literal,
 * an alternation of literals (`a|b|c`), `.*`, `.+` and literal prefixes (`foo.*`).
 */
import type RE2 from 're2';
import { MatcherError } from './errors.ts';
import { compileAnchored } from './go-regex.ts';

export type MatchType = '=' | '!=' | '=~' | '!~';

const metaChars = /[\\.+*?()|[\]{}^$]/;

export class Matcher {
  private readonly test: (value: string) => boolean;

  private constructor(
    readonly type: MatchType,
    readonly name: string,
    readonly value: string,
    test: (value: string) => boolean,
  ) {
    this.test = test;
  }

  /** Builds a matcher; throws MatcherError when a regular expression does not compile. */
  static create(type: MatchType, name: string, value: string): Matcher {
    if (type === '=') return new Matcher(type, name, value, (v) => v === value);
    if (type === '!=') return new Matcher(type, name, value, (v) => v !== value);
    const positive = compileRegex(name, value);
    return new Matcher(type, name, value, type === '=~' ? positive : (v) => !positive(v));
  }

  /** Whether a label value (`''` for an absent label) satisfies the matcher. */
  matches(value: string): boolean {
    return this.test(value);
  }

  /** Whether the matcher selects series that lack the label (it matches the empty string). */
  matchesEmpty(): boolean {
    return this.test('');
  }

  /** `name="value"` in PromQL notation. */
  toString(): string {
    return `${this.name}${this.type}${JSON.stringify(this.value)}`;
  }
}

/** A test for the fully anchored regular expression `pattern`. */
function compileRegex(name: string, pattern: string): (value: string) => boolean {
  if (pattern === '.*') return () => true;
  if (pattern === '.+') return (v) => v.length > 0;
  if (!metaChars.test(pattern)) return (v) => v === pattern;
  const alternatives = pattern.split('|');
  if (alternatives.length > 1 && alternatives.every((a) => a !== '' && !metaChars.test(a))) {
    const set = new Set(alternatives);
    return (v) => set.has(v);
  }
  if (pattern.endsWith('.*')) {
    const prefix = pattern.slice(0, -2);
    if (!metaChars.test(prefix)) return (v) => v.startsWith(prefix);
  }
  let re: RE2;
  try {
    re = compileAnchored(pattern, { dotAll: true });
  } catch (err) {
    throw new MatcherError(
      name,
      pattern,
      `invalid regular expression ${JSON.stringify(pattern)} for label ${name}: ${(err as Error).message}`,
      {
        cause: err,
      },
    );
  }
  return (v) => re.test(v);
}
