/**
 * The PromQL lexer: a state machine in the shape of upstream's `lex.go`, so that token boundaries and lexical error
 * messages (`unclosed left parenthesis`, `bad number or duration syntax: "5mm"`, …) come out the same. Positions are
 * byte offsets into the UTF-8 encoding of the query, as upstream reports them.
 */

import { goQuoteRune } from './go-strings.ts';
import { lexDurationExpr, lexInsideBraces, lexNumberOrDuration, lexRawString, lexString } from './lexer-states.ts';
import { durationKeywordItems, type Item, type ItemType, keywordItems } from './token.ts';

/** A lexer state: scans input and returns the next state, or null when the input ends or an error stops it. */
export type State = (l: Lexer) => State | null;

export const isSpace = (r: string): boolean => r === ' ' || r === '\t' || r === '\n' || r === '\r';
export const isDigit = (r: string): boolean => r >= '0' && r <= '9' && r.length === 1;
export const isAlpha = (r: string): boolean =>
  r === '_' || (r.length === 1 && ((r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z')));
export const isAlphaNumeric = (r: string): boolean => isAlpha(r) || isDigit(r);

/** Stands for Go's `utf8.RuneError`: U+FFFD itself, and lone surrogates (text that was not UTF-8). */
export const runeError = '\uFFFD';

/** Lexer over one query. `nextItem()` returns items in order; after `EOF` or an `ERROR` it keeps returning `EOF`. */
export class Lexer {
  /** Current position, in UTF-16 units and in bytes. */
  pos16 = 0;
  pos = 0;
  /** Start of the item being scanned. */
  start16 = 0;
  start = 0;
  private width16 = 0;
  private width8 = 0;
  parenDepth = 0;
  braceOpen = false;
  bracketOpen = false;
  gotColon = false;
  gotDuration = false;
  stringOpen = '';
  private state: State | null = lexStatements;
  private item: Item | null = null;

  constructor(readonly input: string) {}

  /** The next item; `EOF` forever once the input is exhausted or an error was returned. */
  nextItem(): Item {
    this.item = null;
    while (this.item === null && this.state !== null) this.state = this.state(this);
    return this.pending();
  }

  private pending(): Item {
    if (this.item === null) this.emit('EOF');
    return this.item ?? { type: 'EOF', pos: this.start, val: '' };
  }

  /** Consumes and returns the next rune; `''` at the end of input. Lone surrogates come back as `runeError`. */
  next(): string {
    if (this.pos16 >= this.input.length) {
      this.width16 = 0;
      this.width8 = 0;
      return '';
    }
    const cp = this.input.codePointAt(this.pos16) as number;
    this.width16 = cp > 0xffff ? 2 : 1;
    this.width8 = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    this.pos16 += this.width16;
    this.pos += this.width8;
    if (cp >= 0xd800 && cp <= 0xdfff) return runeError;
    return String.fromCodePoint(cp);
  }

  peek(): string {
    const r = this.next();
    this.backup();
    return r;
  }

  /** Steps back over the last rune read; only once per `next()`. */
  backup(): void {
    this.pos16 -= this.width16;
    this.pos -= this.width8;
    this.width16 = 0;
    this.width8 = 0;
  }

  emit(type: ItemType): void {
    this.item = { type, pos: this.start, val: this.input.slice(this.start16, this.pos16) };
    this.start = this.pos;
    this.start16 = this.pos16;
  }

  ignore(): void {
    this.start = this.pos;
    this.start16 = this.pos16;
  }

  accept(valid: string): boolean {
    const r = this.next();
    if (r !== '' && valid.includes(r)) return true;
    this.backup();
    return false;
  }

  is(valid: string): boolean {
    const r = this.peek();
    return r !== '' && valid.includes(r);
  }

  acceptRun(valid: string): void {
    while (this.accept(valid)) {
      // Consume.
    }
  }

  /** Replaces the pending item with an error item at the start of the current item; returns the null state. */
  errorf(message: string): null {
    this.item = { type: 'ERROR', pos: this.start, val: message };
    return null;
  }

  /** The text of the item being scanned. */
  current(): string {
    return this.input.slice(this.start16, this.pos16);
  }

  /** Scans an alphabetic word and emits it when it is a duration keyword (`step`, `range`, `min_of`, `max_of`). */
  scanDurationKeyword(): boolean {
    while (isAlpha(this.next())) {
      // Absorb.
    }
    this.backup();
    const kw = durationKeywordItems[this.current().toLowerCase()];
    if (kw === undefined) return false;
    this.emit(kw);
    return true;
  }
}

export function skipSpaces(l: Lexer): void {
  while (isSpace(l.peek())) l.next();
  l.ignore();
}

/** The top-level state. */
export function lexStatements(l: Lexer): State | null {
  if (l.braceOpen) return lexInsideBraces;
  if (l.input.startsWith('#', l.pos16)) return lexLineComment;
  const r = l.next();
  switch (r) {
    case '':
      if (l.parenDepth !== 0) return l.errorf('unclosed left parenthesis');
      if (l.bracketOpen) return l.errorf('unclosed left bracket');
      l.emit('EOF');
      return null;
    case ',':
      l.emit('COMMA');
      return lexStatements;
    case '*':
      l.emit('MUL');
      return lexStatements;
    case '/':
      l.emit('DIV');
      return lexStatements;
    case '%':
      l.emit('MOD');
      return lexStatements;
    case '+':
      l.emit('ADD');
      return lexStatements;
    case '-':
      l.emit('SUB');
      return lexStatements;
    case '^':
      l.emit('POW');
      return lexStatements;
    case '@':
      l.emit('AT');
      return lexStatements;
    case '=': {
      const t = l.peek();
      if (t === '=') {
        l.next();
        l.emit('EQLC');
      } else if (t === '~') {
        return l.errorf(`unexpected character after '=': ${goQuoteRune(t)}`);
      } else {
        l.emit('EQL');
      }
      return lexStatements;
    }
    case '!': {
      const t = l.next();
      if (t !== '=') return l.errorf(`unexpected character after '!': ${goQuoteRune(t)}`);
      l.emit('NEQ');
      return lexStatements;
    }
    case '<':
    case '>': {
      const t = l.peek();
      if (t === '=' || t === '/') l.next();
      const lt = r === '<';
      l.emit(t === '=' ? (lt ? 'LTE' : 'GTE') : t === '/' ? (lt ? 'TRIM_UPPER' : 'TRIM_LOWER') : lt ? 'LSS' : 'GTR');
      return lexStatements;
    }
    case '"':
    case "'":
      l.stringOpen = r;
      return lexString;
    case '`':
      l.stringOpen = r;
      return lexRawString;
    case '(':
      l.emit('LEFT_PAREN');
      l.parenDepth++;
      return lexStatements;
    case ')':
      l.emit('RIGHT_PAREN');
      l.parenDepth--;
      if (l.parenDepth < 0) return l.errorf(`unexpected right parenthesis ${goQuoteRune(r)}`);
      return lexStatements;
    case '{':
      l.emit('LEFT_BRACE');
      l.braceOpen = true;
      return lexInsideBraces;
    case '[':
      if (l.bracketOpen) return l.errorf(`unexpected left bracket ${goQuoteRune(r)}`);
      l.gotColon = false;
      l.emit('LEFT_BRACKET');
      if (isSpace(l.peek())) skipSpaces(l);
      l.bracketOpen = true;
      return lexDurationExpr;
    case ']':
      if (!l.bracketOpen) return l.errorf(`unexpected right bracket ${goQuoteRune(r)}`);
      l.emit('RIGHT_BRACKET');
      l.bracketOpen = false;
      return lexStatements;
  }
  if (isSpace(r)) return lexSpace;
  if (isDigit(r) || (r === '.' && isDigit(l.peek()))) {
    l.backup();
    return lexNumberOrDuration;
  }
  if (isAlpha(r) || r === ':') {
    if (!l.bracketOpen) {
      l.backup();
      return lexKeywordOrIdentifier;
    }
    if (r === ':') {
      if (l.gotColon) return l.errorf(`unexpected colon ${goQuoteRune(r)}`);
      l.emit('COLON');
      l.gotColon = true;
      return lexStatements;
    }
    if ('sSmMrR'.includes(r) && l.scanDurationKeyword()) return lexStatements;
    return l.errorf(`unexpected character: ${goQuoteRune(r)}, expected ':'`);
  }
  return l.errorf(`unexpected character: ${goQuoteRune(r)}`);
}

function lexSpace(l: Lexer): State {
  while (isSpace(l.peek())) l.next();
  l.ignore();
  return lexStatements;
}

/** A `#` comment up to the end of the line. */
export function lexLineComment(l: Lexer): State {
  l.next();
  let r = l.next();
  while (r !== '\r' && r !== '\n' && r !== '') r = l.next();
  l.backup();
  l.emit('COMMENT');
  return lexStatements;
}

/** An identifier, metric name (may hold colons) or keyword. */
function lexKeywordOrIdentifier(l: Lexer): State {
  let r = l.next();
  while (isAlphaNumeric(r) || r === ':') r = l.next();
  l.backup();
  const word = l.current();
  const kw = Object.hasOwn(keywordItems, word.toLowerCase()) ? keywordItems[word.toLowerCase()] : undefined;
  l.emit(kw ?? (word.includes(':') ? 'METRIC_IDENTIFIER' : 'IDENTIFIER'));
  return lexStatements;
}
