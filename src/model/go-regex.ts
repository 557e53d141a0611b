/**
 * Regular expressions in Go's RE2 syntax (what Prometheus' configs and PromQL use), run on RE2 through the
 * `re2` package: linear time, so a pattern from a config or a query cannot stall the process. The package
 * rewrites some JavaScript-only syntax before RE2 sees it; `re2Source` refuses what Go refuses of that and
 * shields `\Q…\E` and character classes from the rewriting.
 */
import RE2 from 're2';

/** Unicode class names that the re2 package expands to RE2's short names; Go knows only the short ones. */
const longClassNames = new Set(
  (
    'Uppercase_Letter Lowercase_Letter Titlecase_Letter Cased_Letter Modifier_Letter Other_Letter Letter ' +
    'Nonspacing_Mark Spacing_Mark Enclosing_Mark Mark Decimal_Number Letter_Number Other_Number Number ' +
    'Connector_Punctuation Dash_Punctuation Open_Punctuation Close_Punctuation Initial_Punctuation ' +
    'Final_Punctuation Other_Punctuation Punctuation Math_Symbol Currency_Symbol Modifier_Symbol Other_Symbol ' +
    'Symbol Space_Separator Line_Separator Paragraph_Separator Separator Control Format Surrogate Private_Use ' +
    'Unassigned Other'
  ).split(' '),
);
/** Characters escaped inside `\Q…\E` so that neither the re2 package's rewriting nor RE2 gives them meaning. */
const quoteSpecial = /[\\.+*?()|[\]{}^$/<]/g;

/**
 * Go RE2 syntax as the text to give the re2 package: `\Q…\E` becomes escaped literals and `<` in a class
 * is escaped (the package would rewrite `(?<` there), and escapes Go rejects but the package would rewrite
 * or RE2 accept are refused. Returns the reason for a refusal, or the text and whether it closes the
 * enclosing `(?:` group early.
 */
export function re2Source(go: string): { source: string; escapesAnchors: boolean } | string {
  let out = '';
  let depth = 0;
  let escapesAnchors = false;
  let inClass = false;
  let i = 0;
  while (i < go.length) {
    const c = go[i] as string;
    if (c === '\\') {
      const e = go[i + 1];
      if (e === undefined) {
        out += c;
        i++;
        continue;
      }
      if (e === 'Q' && !inClass) {
        const end = go.indexOf('\\E', i + 2);
        const literal = end < 0 ? go.slice(i + 2) : go.slice(i + 2, end);
        out += literal.replace(quoteSpecial, '\\$&');
        i = end < 0 ? go.length : end + 2;
        continue;
      }
      if ('QEcCu'.includes(e)) return `invalid escape sequence: \\${e}`;
      if ((e === 'p' || e === 'P') && go[i + 2] === '{') {
        const close = go.indexOf('}', i + 3);
        const name = close < 0 ? '' : go.slice(i + 3, close);
        if (longClassNames.has(name) || /^(?:Script|sc)=/.test(name)) {
          return `invalid character class range: \\${e}{${name}}`;
        }
      }
      out += c + e;
      i += 2;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      else if (c === '<') {
        out += '\\<';
        i++;
        continue;
      } else if (c === '[' && go[i + 1] === ':') {
        const close = go.indexOf(':]', i + 2);
        if (close >= 0) {
          out += go.slice(i, close + 2);
          i = close + 2;
          continue;
        }
      }
      out += c;
      i++;
      continue;
    }
    if (c === '[') {
      // `]` right after `[` or `[^` is a literal.
      let j = i + 1;
      if (go[j] === '^') j++;
      if (go[j] === ']') j++;
      out += go.slice(i, j);
      i = j;
      inClass = true;
      continue;
    }
    if (c === '(') depth++;
    else if (c === ')') {
      if (depth === 0) escapesAnchors = true;
      else depth--;
    }
    out += c;
    i++;
  }
  return { source: out, escapesAnchors };
}

/** Why `source` is not a valid Go regular expression, or undefined when it is. */
export function goRegexProblem(source: string): string | undefined {
  const translated = re2Source(source);
  if (typeof translated === 'string') return translated;
  try {
    new RE2(`^(?:${translated.source})$`, 'u');
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

/**
 * Compiles `source` anchored at both ends as Prometheus anchors it: `^(?:re)$`, or `^(?s:re)$` (`.` matching
 * newlines too) for label matchers. Throws an Error with the reason for a pattern Go would refuse.
 */
export function compileAnchored(source: string, options: { dotAll: boolean }): RE2 {
  const translated = re2Source(source);
  if (typeof translated === 'string') throw new Error(translated);
  return new RE2(options.dotAll ? `^(?s:${translated.source})$` : `^(?:${translated.source})$`, 'u');
}
