/**
 * Go's wording for regular expressions that do not compile. Matchers compile `^(?s:<re>)$` with RE2 (src/model);
 * upstream compiles the same text with Go's regexp package, whose messages read `error parsing regexp: missing
 * closing ): \`^(?s:(.*)$\``. RE2's error codes map onto Go's one to one for the common mistakes.
 */

const goCodes: ReadonlyArray<readonly [RegExp, string]> = [
  [/^missing \)$/, 'missing closing )'],
  [/^missing \]$/, 'missing closing ]'],
  [/^unexpected \)$/, 'unexpected )'],
  [/^bad repetition operator$/, 'invalid nested repetition operator'],
  [/^no argument for repetition operator$/, 'missing argument to repetition operator'],
  [/^invalid repetition size$/, 'invalid repeat count'],
  [/^invalid escape sequence$/, 'invalid escape sequence'],
  [/^trailing \\$/, 'trailing backslash at end of expression'],
  [/^invalid named capture group$/, 'invalid named capture'],
  [/^invalid character class range$/, 'invalid character class range'],
  [/^invalid character class$/, 'invalid character class'],
  [/^invalid perl operator$/, 'invalid or unsupported Perl syntax'],
  [/^invalid UTF-8$/, 'invalid UTF-8'],
];

/**
 * Rewrites an RE2 compile error (`missing ): ^(?s:(.*)$`) in Go's words (`error parsing regexp: missing closing ):
 * \`^(?s:(.*)$\``). Messages it does not know are returned prefixed but otherwise unchanged.
 */
export function goRegexpError(re2Message: string): string {
  const sep = re2Message.indexOf(': ');
  const code = sep < 0 ? re2Message : re2Message.slice(0, sep);
  const arg = sep < 0 ? '' : re2Message.slice(sep + 2);
  for (const [pattern, go] of goCodes) {
    if (pattern.test(code)) return `error parsing regexp: ${go}: \`${arg}\``;
  }
  return `error parsing regexp: ${re2Message}`;
}
