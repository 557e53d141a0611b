/**
 * The lexer of Go's text/template language with the default `{{ }}` delimiters: text between actions, and inside
 * actions the words of pipelines. Trim markers (`{{- `, ` -}}`) are applied here, so the parser sees text already
 * trimmed; comments (`{{/* … *\/}}`) produce no token.
 */

export type TokenKind =
  | 'text'
  | 'leftDelim'
  | 'rightDelim'
  | 'space'
  | 'identifier'
  | 'keyword'
  | 'field'
  | 'variable'
  | 'dot'
  | 'pipe'
  | 'char'
  | 'number'
  | 'string'
  | 'rawString'
  | 'leftParen'
  | 'rightParen'
  | 'assign'
  | 'declare'
  | 'comma'
  | 'bool'
  | 'nil'
  | 'punct'
  | 'error'
  | 'eof';

/** One token; `pos` is the offset of its first character in the template text. */
export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly pos: number;
}

const keywords = new Set(['block', 'break', 'continue', 'define', 'else', 'end', 'if', 'range', 'template', 'with']);
const isSpace = (c: string | undefined) => c === ' ' || c === '\t' || c === '\r' || c === '\n';
const isAlnum = (c: string | undefined) => c !== undefined && /[\p{L}\p{Nd}_]/u.test(c);
const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';

/** Whether `text` at `i` is a right delimiter preceded by a trim marker (` -}}`). */
const rightTrimAt = (text: string, i: number) => isSpace(text[i]) && text.startsWith('-}}', i + 1);

class Stop {}

/**
 * Splits `text` into tokens. A lexical error ends the list with an `error` token (its text the message, its
 * position where it was found), so that a parser reading up to it reports earlier problems first, as Go's does.
 */
export function lex(text: string): Token[] {
  const tokens: Token[] = [];
  const fail = (pos: number, message: string): never => {
    tokens.push({ kind: 'error', text: message, pos });
    throw new Stop();
  };
  try {
    lexText(text, tokens, fail);
  } catch (err) {
    if (!(err instanceof Stop)) throw err;
    return tokens;
  }
  tokens.push({ kind: 'eof', text: '', pos: text.length });
  return tokens;
}

function lexText(text: string, tokens: Token[], fail: (pos: number, message: string) => never): void {
  let i = 0;
  let trimNext = false;
  while (i < text.length) {
    let open = text.indexOf('{{', i);
    if (open < 0) open = text.length;
    let start = i;
    if (trimNext) {
      while (start < open && isSpace(text[start])) start++;
      trimNext = false;
    }
    let end = open;
    const leftTrim = open < text.length && text[open + 2] === '-' && isSpace(text[open + 3]);
    if (leftTrim) while (end > start && isSpace(text[end - 1])) end--;
    if (end > start) tokens.push({ kind: 'text', text: text.slice(start, end), pos: start });
    if (open >= text.length) break;
    i = open + 2;
    if (leftTrim) i += 2;
    tokens.push({ kind: 'leftDelim', text: '{{', pos: open });
    // A comment fills the whole action.
    if (text.startsWith('/*', i)) {
      const close = text.indexOf('*/', i + 2);
      if (close < 0) fail(open, 'unclosed comment');
      let j = close + 2;
      if (rightTrimAt(text, j)) {
        trimNext = true;
        j += 4;
      } else if (text.startsWith('}}', j)) j += 2;
      else fail(open, 'comment ends before closing delimiter');
      tokens.pop();
      i = j;
      continue;
    }
    i = lexAction(text, i, tokens, fail);
    if (text.startsWith('-}}', i)) {
      trimNext = true;
      i += 3;
    } else i += 2;
  }
}

/** Lexes the inside of an action from `i`; returns the offset of its right delimiter (`}}` or `-}}`). */
function lexAction(text: string, i: number, tokens: Token[], fail: (pos: number, message: string) => never): number {
  let parens = 0;
  const push = (kind: TokenKind, from: number, to: number) =>
    tokens.push({ kind, text: text.slice(from, to), pos: from });
  for (;;) {
    if (i >= text.length) fail(i, 'unclosed action');
    const c = text[i] as string;
    if (text.startsWith('}}', i)) {
      if (parens > 0) fail(i, 'unclosed left paren');
      tokens.push({ kind: 'rightDelim', text: '}}', pos: i });
      return i;
    }
    if (isSpace(c)) {
      if (rightTrimAt(text, i)) {
        if (parens > 0) fail(i, 'unclosed left paren');
        tokens.push({ kind: 'rightDelim', text: '}}', pos: i + 1 });
        return i + 1;
      }
      let j = i;
      while (isSpace(text[j]) && !rightTrimAt(text, j)) j++;
      if (j === i) j++;
      push('space', i, j);
      i = j;
      continue;
    }
    if (c === '=') {
      push('assign', i, i + 1);
      i++;
    } else if (c === ':') {
      if (text[i + 1] !== '=') fail(i, 'expected :=');
      push('declare', i, i + 2);
      i += 2;
    } else if (c === '|') {
      push('pipe', i, i + 1);
      i++;
    } else if (c === ',') {
      push('comma', i, i + 1);
      i++;
    } else if (c === '(') {
      parens++;
      push('leftParen', i, i + 1);
      i++;
    } else if (c === ')') {
      parens--;
      if (parens < 0) fail(i, `unexpected right paren`);
      push('rightParen', i, i + 1);
      i++;
    } else if (c === '"') {
      let j = i + 1;
      for (;;) {
        const d = text[j];
        if (d === undefined || d === '\n') fail(i, 'unterminated quoted string');
        if (d === '\\') j += 2;
        else if (d === '"') break;
        else j++;
      }
      push('string', i, j + 1);
      i = j + 1;
    } else if (c === '`') {
      const close = text.indexOf('`', i + 1);
      if (close < 0) fail(i, 'unterminated raw quoted string');
      push('rawString', i, close + 1);
      i = close + 1;
    } else if (c === "'") {
      let j = i + 1;
      for (;;) {
        const d = text[j];
        if (d === undefined || d === '\n') fail(i, 'unterminated character constant');
        if (d === '\\') j += 2;
        else if (d === "'") break;
        else j++;
      }
      push('char', i, j + 1);
      i = j + 1;
    } else if (c === '$') {
      let j = i + 1;
      while (isAlnum(text[j])) j++;
      push('variable', i, j);
      i = j;
    } else if (c === '.' && !isDigit(text[i + 1])) {
      let j = i + 1;
      while (isAlnum(text[j])) j++;
      push(j === i + 1 ? 'dot' : 'field', i, j);
      i = j;
    } else if (isDigit(c) || c === '.' || ((c === '+' || c === '-') && (isDigit(text[i + 1]) || text[i + 1] === '.'))) {
      let j = i + 1;
      while (j < text.length && /[0-9a-zA-Z_.]/.test(text[j] as string)) {
        // An exponent sign belongs to the number.
        if (
          (text[j] === 'e' || text[j] === 'E' || text[j] === 'p' || text[j] === 'P') &&
          /[+-]/.test(text[j + 1] ?? '')
        ) {
          if (!/^[+-]?0[xX]/.test(text.slice(i, j)) || text[j] === 'p' || text[j] === 'P') j++;
        }
        j++;
      }
      push('number', i, j);
      i = j;
    } else if (isAlnum(c)) {
      let j = i + 1;
      while (isAlnum(text[j])) j++;
      const word = text.slice(i, j);
      push(
        keywords.has(word)
          ? 'keyword'
          : word === 'true' || word === 'false'
            ? 'bool'
            : word === 'nil'
              ? 'nil'
              : 'identifier',
        i,
        j,
      );
      i = j;
    } else if (c.charCodeAt(0) < 0x7f && c >= ' ') {
      push('punct', i, i + 1);
      i++;
    } else {
      fail(i, `unrecognized character in action: ${JSON.stringify(c)}`);
    }
  }
}
