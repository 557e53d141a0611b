/**
 * Lexer states for duration expressions, label matchers (inside braces), string literals with their escapes, and
 * numbers and durations, following upstream's `lex.go` rune for rune.
 */
import { goQuoteRune, goRuneDescription } from './go-strings.ts';
import {
  isAlpha,
  isAlphaNumeric,
  isDigit,
  isSpace,
  type Lexer,
  lexLineComment,
  lexStatements,
  runeError,
  type State,
  skipSpaces,
} from './lexer.ts';
import type { ItemType } from './token.ts';

const durationOperators: Readonly<Record<string, ItemType>> = {
  '+': 'ADD',
  '-': 'SUB',
  '*': 'MUL',
  '/': 'DIV',
  '%': 'MOD',
  '^': 'POW',
  ',': 'COMMA',
};

/** Inside `[…]` before the first number: arithmetic on durations, `step()`, `range()`, `min_of`, `max_of`. */
export function lexDurationExpr(l: Lexer): State | null {
  const r = l.next();
  const single = Object.hasOwn(durationOperators, r) ? durationOperators[r] : undefined;
  if (single !== undefined) {
    l.emit(single);
    return lexDurationExpr;
  }
  switch (r) {
    case '':
      return l.errorf('unexpected end of input in duration expression');
    case ']':
      l.emit('RIGHT_BRACKET');
      l.bracketOpen = false;
      l.gotColon = false;
      return lexStatements;
    case ':':
      l.emit('COLON');
      if (!l.gotDuration) return l.errorf('unexpected colon before duration in duration expression');
      if (l.gotColon) return l.errorf('unexpected repeated colon in duration expression');
      l.gotColon = true;
      return lexDurationExpr;
    case '(':
      l.emit('LEFT_PAREN');
      l.parenDepth++;
      return lexDurationExpr;
    case ')':
      l.emit('RIGHT_PAREN');
      l.parenDepth--;
      if (l.parenDepth < 0) return l.errorf(`unexpected right parenthesis ${goQuoteRune(r)}`);
      return lexDurationExpr;
  }
  if (isSpace(r)) {
    skipSpaces(l);
    return lexDurationExpr;
  }
  if (isAlpha(r) && l.scanDurationKeyword()) return lexDurationExpr;
  if (isDigit(r) || (r === '.' && isDigit(l.peek()))) {
    l.backup();
    l.gotDuration = true;
    return lexNumberOrDuration;
  }
  return l.errorf(`unexpected character in duration expression: ${goQuoteRune(r)}`);
}

/** Inside `{…}`: label names are plain identifiers, keywords are not recognised. */
export function lexInsideBraces(l: Lexer): State | null {
  if (l.input.startsWith('#', l.pos16)) return lexLineComment;
  const r = l.next();
  if (r === '') return l.errorf('unexpected end of input inside braces');
  if (isSpace(r)) {
    skipSpaces(l);
    return lexStatements;
  }
  if (isAlpha(r)) {
    l.backup();
    return lexIdentifier;
  }
  switch (r) {
    case ',':
      l.emit('COMMA');
      return lexInsideBraces;
    case '"':
    case "'":
      l.stringOpen = r;
      return lexString;
    case '`':
      l.stringOpen = r;
      return lexRawString;
    case '=':
      if (l.next() === '~') {
        l.emit('EQL_REGEX');
      } else {
        l.backup();
        l.emit('EQL');
      }
      return lexInsideBraces;
    case '!': {
      const nr = l.next();
      if (nr === '~') l.emit('NEQ_REGEX');
      else if (nr === '=') l.emit('NEQ');
      else return l.errorf(`unexpected character after '!' inside braces: ${goQuoteRune(nr)}`);
      return lexInsideBraces;
    }
    case '{':
      return l.errorf(`unexpected left brace ${goQuoteRune(r)}`);
    case '}':
      l.emit('RIGHT_BRACE');
      l.braceOpen = false;
      return lexStatements;
  }
  return l.errorf(`unexpected character inside braces: ${goQuoteRune(r)}`);
}

function lexIdentifier(l: Lexer): State {
  while (isAlphaNumeric(l.next())) {
    // Absorb.
  }
  l.backup();
  l.emit('IDENTIFIER');
  return lexStatements;
}

/** A quoted string; the opening quote has been read. */
export function lexString(l: Lexer): State | null {
  for (;;) {
    const r = l.next();
    if (r === '\\') return lexEscape;
    if (r === runeError) {
      l.errorf('invalid UTF-8 rune');
      return lexString;
    }
    if (r === '' || r === '\n') return l.errorf('unterminated quoted string');
    if (r === l.stringOpen) break;
  }
  l.emit('STRING');
  return lexStatements;
}

/** A raw (backtick) string; the opening quote has been read. */
export function lexRawString(l: Lexer): State | null {
  for (;;) {
    const r = l.next();
    if (r === runeError) {
      l.errorf('invalid UTF-8 rune');
      return lexRawString;
    }
    if (r === '') {
      l.errorf('unterminated raw string');
      return lexRawString;
    }
    if (r === l.stringOpen) break;
  }
  l.emit('STRING');
  return lexStatements;
}

function digitVal(ch: string): number {
  if (ch.length !== 1) return 16;
  const d = Number.parseInt(ch, 16);
  return Number.isNaN(d) ? 16 : d;
}

/** An escape sequence in a quoted string; the backslash has been read. */
function lexEscape(l: Lexer): State | null {
  let ch = l.next();
  let n: number;
  let base: number;
  let max: number;
  if ('abfnrtv\\'.includes(ch) && ch !== '') return lexString;
  if (ch === l.stringOpen) return lexString;
  if (ch >= '0' && ch <= '7' && ch.length === 1) {
    [n, base, max] = [3, 8, 255];
  } else if (ch === 'x') {
    ch = l.next();
    [n, base, max] = [2, 16, 255];
  } else if (ch === 'u') {
    ch = l.next();
    [n, base, max] = [4, 16, 0x10ffff];
  } else if (ch === 'U') {
    ch = l.next();
    [n, base, max] = [8, 16, 0x10ffff];
  } else if (ch === '') {
    l.errorf('escape sequence not terminated');
    return lexString;
  } else {
    l.errorf(`unknown escape sequence ${goRuneDescription(ch)}`);
    return lexString;
  }
  let x = 0;
  while (n > 0) {
    const d = digitVal(ch);
    if (d >= base) {
      if (ch === '') {
        l.errorf('escape sequence not terminated');
        return lexString;
      }
      l.errorf(`illegal character ${goRuneDescription(ch)} in escape sequence`);
      return lexString;
    }
    x = x * base + d;
    n--;
    if (n > 0) ch = l.next();
  }
  if (x > max || (x >= 0xd800 && x < 0xe000)) l.errorf('escape sequence is an invalid Unicode code point');
  return lexString;
}

/** A number (`NUMBER`) or a duration (`DURATION`). */
export function lexNumberOrDuration(l: Lexer): State | null {
  if (scanNumber(l)) {
    l.emit('NUMBER');
    return lexStatements;
  }
  if (acceptRemainingDuration(l)) {
    l.backup();
    l.emit('DURATION');
    return lexStatements;
  }
  return l.errorf(`bad number or duration syntax: "${l.current()}"`);
}

function acceptRemainingDuration(l: Lexer): boolean {
  if (!l.accept('smhdwy')) return false;
  l.accept('s');
  while (l.accept('0123456789')) {
    l.acceptRun('0123456789');
    if (!l.accept('smhdw')) return false;
    l.accept('s');
  }
  return !isAlphaNumeric(l.next());
}

/** Scans decimal, hexadecimal and float syntax with `_` separators; the item is not necessarily a valid number. */
function scanNumber(l: Lexer): boolean {
  const initial = l.pos;
  let digits = '0123456789';
  if (l.accept('0') && l.accept('xX')) {
    l.accept('_');
    digits = '0123456789abcdefABCDEF';
  }
  l.accept('.');
  l.accept(digits);
  let dotConsumed = false;
  let exponentConsumed = false;
  while (l.is(`${digits}._eE`)) {
    if (l.is('.') && dotConsumed) {
      l.accept('.');
      return false;
    }
    if (l.is('eE') && exponentConsumed) {
      l.accept('eE');
      return false;
    }
    if (l.accept('.')) {
      dotConsumed = true;
      if (l.accept('_.')) return false;
      if (digits.length > 10) return false;
      continue;
    }
    if (l.accept('eE')) {
      exponentConsumed = true;
      l.accept('+-');
      if (l.accept('._eE') || l.peek() === '') return false;
      continue;
    }
    if (l.accept('_')) {
      if (l.accept('._eE') || l.peek() === '') return false;
      continue;
    }
    l.acceptRun(digits);
  }
  if (l.pos === initial) return false;
  return !isAlphaNumeric(l.peek());
}
