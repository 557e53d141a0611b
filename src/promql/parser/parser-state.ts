/**
 * The token stream and error bookkeeping shared by the parser's files. Reproduces what is observable of upstream's
 * yacc parser: one syntax error, described by the innermost enclosing `error` production ("in aggregation",
 * "in grouping opts", …) or plainly at the top; lexer errors reported once and never followed by a syntax error;
 * semantic errors accumulated in order.
 */
import type { PositionRange } from './ast.ts';
import { makeProblem, type ParseProblem } from './errors.ts';
import type { FunctionSignature } from './functions.ts';
import { Lexer } from './lexer.ts';
import { type Item, type ItemType, itemDescription, itemEnd } from './token.ts';

/** Feature gates of the parser; upstream's defaults (all off) unless given. */
export interface ParseOptions {
  /** Experimental functions (`info`, `mad_over_time`, `step()`, …) and aggregators (`limitk`, `limit_ratio`). @default false */
  readonly enableExperimentalFunctions?: boolean;
  /** Arithmetic in durations: `foo[1m+30s]`, `offset (2 * step())`. @default false */
  readonly experimentalDurationExpr?: boolean;
  /** The `anchored` and `smoothed` modifiers of range selectors. @default false */
  readonly enableExtendedRangeSelectors?: boolean;
  /** `fill(v)`, `fill_left(v)`, `fill_right(v)` on binary operators. @default false */
  readonly enableBinopFillModifiers?: boolean;
  /** The functions calls may name; defaults to every function of current Prometheus. */
  readonly functions?: Readonly<Record<string, FunctionSignature>>;
}

/** Every feature gate on, as Prometheus' own PromQL test suite runs. */
export const allFeatures: ParseOptions = {
  enableExperimentalFunctions: true,
  experimentalDurationExpr: true,
  enableExtendedRangeSelectors: true,
  enableBinopFillModifiers: true,
};

/** An `error` production in effect while a construct is parsed: its context and what it expects. */
export interface ErrorContext {
  readonly context: string;
  readonly expected: string;
}

/** Unwinds the parser after a syntax error; `context` is the production that reported it, if an enclosing one. */
export class Abort {
  constructor(readonly context: ErrorContext | null) {}
}

const closing: ReadonlySet<ItemType> = new Set(['RIGHT_BRACE', 'RIGHT_PAREN', 'RIGHT_BRACKET', 'DURATION', 'NUMBER']);

export class ParserState {
  readonly bytes: Buffer;
  readonly problems: ParseProblem[] = [];
  /** The lookahead item. */
  cur: Item;
  /** End of the last consumed item that can close an expression (`)`, `]`, `}`, a number or a duration). */
  lastClosing = 0;
  private readonly lexer: Lexer;
  private readonly queue: Item[] = [];
  private readonly contexts: ErrorContext[] = [];

  constructor(
    readonly input: string,
    readonly options: ParseOptions,
    readonly functions: Readonly<Record<string, FunctionSignature>>,
  ) {
    this.bytes = Buffer.from(input, 'utf8');
    this.lexer = new Lexer(input);
    this.cur = this.lex();
  }

  /** The next non-comment item from the lexer; a lexer error is recorded here, once, and then sticks. */
  private lex(): Item {
    if (this.cur?.type === 'ERROR') return this.cur;
    for (;;) {
      const item = this.lexer.nextItem();
      if (item.type === 'COMMENT') continue;
      if (item.type === 'ERROR') this.addError({ start: item.pos, end: this.bytes.length }, item.val);
      return item;
    }
  }

  /** The type of the lookahead (a method, so that type narrowing does not outlive a `take()`). */
  curType(): ItemType {
    return this.cur.type;
  }

  /** The type of the item after the lookahead, without consuming anything. */
  peekType(): ItemType {
    if (this.cur.type === 'ERROR' || this.cur.type === 'EOF') return this.cur.type;
    if (this.queue.length === 0) this.queue.push(this.lex());
    return (this.queue[0] as Item).type;
  }

  /** Consumes the lookahead and returns it. */
  take(): Item {
    const item = this.cur;
    if (closing.has(item.type)) this.lastClosing = itemEnd(item);
    if (item.type !== 'ERROR' && item.type !== 'EOF') this.cur = this.queue.shift() ?? this.lex();
    return item;
  }

  /** Consumes the lookahead when it has type `type`. */
  accept(type: ItemType): Item | undefined {
    return this.cur.type === type ? this.take() : undefined;
  }

  get atEnd(): boolean {
    return this.cur.type === 'EOF' || this.cur.type === 'ERROR';
  }

  addError(range: PositionRange, message: string): void {
    this.problems.push(makeProblem(this.input, this.bytes, range, message));
  }

  itemRange(item: Item): PositionRange {
    return { start: item.pos, end: itemEnd(item) };
  }

  /** Reports the lookahead as unexpected (`unexpected <by> in grouping opts, expected "("`), unless it is a lexer error. */
  unexpected(context: string, expected: string): void {
    if (this.cur.type === 'ERROR') return;
    let msg = `unexpected ${itemDescription(this.cur)}`;
    if (context !== '') msg += ` in ${context}`;
    if (expected !== '') msg += `, expected ${expected}`;
    this.addError(this.itemRange(this.cur), msg);
  }

  /** Runs `body` with the `error` production `ctx` enclosing it. */
  within<T>(ctx: ErrorContext, body: () => T): T {
    this.contexts.push(ctx);
    try {
      return body();
    } finally {
      this.contexts.pop();
    }
  }

  /**
   * A syntax error at the lookahead. With `ctx`, that production reports it; without, the innermost enclosing
   * one, or the top level. The rest of the input is lexed for a lexer error, as upstream's recovery reads on.
   */
  syntaxError(ctx?: ErrorContext): Abort {
    const own = ctx ?? this.contexts[this.contexts.length - 1] ?? null;
    this.unexpected(own?.context ?? '', own?.expected ?? '');
    const lastClosing = this.lastClosing;
    while (!this.atEnd) this.take();
    this.lastClosing = lastClosing;
    return new Abort(ctx === undefined ? own : null);
  }
}
