/**
 * The parser of Go's text/template language: turns a template text into parse trees, one for the text itself and
 * one per `{{define}}`/`{{block}}`. Like Go, it rejects calls of functions the set does not have, undefined
 * variables, `{{break}}`/`{{continue}}` outside `{{range}}` and unbalanced control structures.
 */
import type { ArgNode, BranchNode, CommandNode, ListNode, Node, PipeNode, Tree } from './ast.ts';
import { lineColumn, TemplateError } from './errors.ts';
import { lex, type Token } from './lexer.ts';
import { numberValue, runeValue, unquote } from './literals.ts';

/** What parsing one text yields: its own tree (and whether it holds nothing but whitespace), and its definitions. */
export interface ParseResult {
  readonly main: Tree;
  readonly mainIsEmpty: boolean;
  readonly defined: readonly Tree[];
}

/** Parses `text` as template `name`. Throws a parse TemplateError (`template: NAME:LINE: …`). */
export function parseTemplate(name: string, text: string, hasFunction: (name: string) => boolean): ParseResult {
  const p = new Parser(name, text, lex(text), hasFunction);
  return p.parse();
}

type Terminator = 'end' | 'else';

class Parser {
  private i = 0;
  private vars: string[] = ['$'];
  private rangeDepth = 0;
  /** The `end` or `else` keyword that ended the last item list. */
  private terminator: Token | undefined;
  private readonly defined: Tree[] = [];
  private readonly source: { name: string; text: string };

  constructor(
    private readonly name: string,
    private readonly text: string,
    private readonly tokens: readonly Token[],
    private readonly hasFunction: (name: string) => boolean,
  ) {
    this.source = { name, text };
  }

  parse(): ParseResult {
    const nodes: Node[] = [];
    for (;;) {
      const t = this.peek();
      if (t.kind === 'eof') break;
      if (t.kind === 'leftDelim') {
        const delim = this.next();
        const kw = this.peekNonSpace();
        if (kw.kind === 'keyword' && kw.text === 'define') {
          this.nextNonSpace();
          this.parseDefinition();
          continue;
        }
        this.backup(delim);
      }
      const n = this.textOrAction();
      if (typeof n === 'string') this.fail(this.terminator ?? this.prev(), `unexpected {{${n}}}`);
      nodes.push(n);
    }
    const mainIsEmpty = nodes.every((n) => n.kind === 'text' && n.text.trim() === '');
    return { main: { name: this.name, root: { nodes }, source: this.source }, mainIsEmpty, defined: this.defined };
  }

  // ---- tokens

  private peek(): Token {
    return this.tokens[this.i] as Token;
  }
  private next(): Token {
    const t = this.tokens[this.i] as Token;
    if (t.kind === 'error') this.fail(t, t.text);
    if (t.kind !== 'eof') this.i++;
    return t;
  }
  private prev(): Token {
    return this.tokens[Math.max(this.i - 1, 0)] as Token;
  }
  private nextNonSpace(): Token {
    let t = this.next();
    while (t.kind === 'space') t = this.next();
    return t;
  }
  private peekNonSpace(): Token {
    const t = this.nextNonSpace();
    this.backup(t);
    return t;
  }
  private backup(t: Token): void {
    this.i = this.tokens.lastIndexOf(t, this.i);
  }

  private fail(at: Token | number, message: string): never {
    const pos = typeof at === 'number' ? at : at.pos;
    const { line, column } = lineColumn(this.text, pos);
    throw new TemplateError('TEMPLATE_PARSE', this.name, line, column, `template: ${this.name}:${line}: ${message}`);
  }

  private describe(t: Token): string {
    switch (t.kind) {
      case 'eof':
        return 'EOF';
      case 'rightDelim':
        return '"}}"';
      case 'leftDelim':
        return '"{{"';
      case 'keyword':
        return `<${t.text}>`;
      case 'space':
        return 'space';
      default:
        return JSON.stringify(t.text);
    }
  }

  private unexpected(t: Token, context: string): never {
    return this.fail(t, `unexpected ${this.describe(t)} in ${context}`);
  }

  private expect(kind: Token['kind'], context: string): Token {
    const t = this.nextNonSpace();
    if (t.kind !== kind) this.unexpected(t, context);
    return t;
  }

  // ---- structure

  private parseDefinition(): void {
    const nameTok = this.nextNonSpace();
    if (nameTok.kind !== 'string' && nameTok.kind !== 'rawString') this.unexpected(nameTok, 'define clause');
    const name = this.stringValue(nameTok);
    this.expect('rightDelim', 'define clause');
    this.defineBody(name);
  }

  /** Parses a body up to its `{{end}}` as a new template with its own variables. */
  private defineBody(name: string): void {
    const saved = { vars: this.vars, rangeDepth: this.rangeDepth };
    this.vars = ['$'];
    this.rangeDepth = 0;
    const [list, term] = this.itemList();
    if (term.kind !== 'end') this.fail(term.at, 'unexpected {{else}}');
    this.vars = saved.vars;
    this.rangeDepth = saved.rangeDepth;
    this.defined.push({ name, root: list, source: this.source });
  }

  /** Items up to `{{end}}` or `{{else}}`; returns the list and which ended it. */
  private itemList(): [ListNode, { kind: Terminator; at: Token }] {
    const nodes: Node[] = [];
    for (;;) {
      const t = this.peekNonSpace();
      if (t.kind === 'eof') this.fail(t, 'unexpected EOF');
      const n = this.textOrAction();
      if (typeof n === 'string') return [{ nodes }, { kind: n, at: this.terminator ?? this.prev() }];
      nodes.push(n);
    }
  }

  private textOrAction(): Node | Terminator {
    const t = this.nextNonSpace();
    if (t.kind === 'text') return { kind: 'text', pos: t.pos, text: t.text };
    if (t.kind === 'leftDelim') return this.action();
    return this.unexpected(t, 'input');
  }

  private action(): Node | Terminator {
    const t = this.nextNonSpace();
    if (t.kind === 'keyword') {
      this.terminator = t;
      switch (t.text) {
        case 'block':
          return this.blockControl(t);
        case 'break':
        case 'continue':
          return this.loopControl(t);
        case 'else':
          return this.elseControl(t);
        case 'end':
          this.expect('rightDelim', 'end');
          return 'end';
        case 'if':
        case 'range':
        case 'with':
          return this.branchControl(t.text, t);
        case 'template':
          return this.templateControl(t);
        case 'define':
          return this.unexpected(t, 'command');
      }
    }
    this.backup(t);
    return { kind: 'action', pos: t.pos, pipe: this.pipeline('command', 'rightDelim') };
  }

  private loopControl(t: Token): Node {
    const next = this.nextNonSpace();
    if (next.kind !== 'rightDelim') this.unexpected(next, `{{${t.text}}}`);
    if (this.rangeDepth === 0) this.fail(t, `{{${t.text}}} outside {{range}}`);
    return { kind: t.text as 'break' | 'continue', pos: t.pos };
  }

  private elseControl(t: Token): Terminator {
    const next = this.peekNonSpace();
    // `{{else if …}}` and `{{else with …}}` leave the keyword for the enclosing branch to read.
    if (next.kind === 'keyword' && (next.text === 'if' || next.text === 'with')) return 'else';
    this.expect('rightDelim', 'else');
    void t;
    return 'else';
  }

  private branchControl(kind: string, at: Token): BranchNode {
    const mark = this.vars.length;
    const pipe = this.pipeline(kind, 'rightDelim');
    if (kind === 'range') this.rangeDepth++;
    const [list, term] = this.itemList();
    if (kind === 'range') this.rangeDepth--;
    let elseList: ListNode | undefined;
    if (term.kind === 'else') {
      const next = this.peekNonSpace();
      if ((kind === 'if' || kind === 'with') && next.kind === 'keyword' && next.text === kind) {
        // `{{else if}}`: a nested branch sharing this branch's {{end}}.
        const kw = this.nextNonSpace();
        elseList = { nodes: [this.branchControl(kind, kw)] };
      } else if (next.kind === 'keyword' && (next.text === 'if' || next.text === 'with')) {
        this.unexpected(next, `{{else}} of {{${kind}}}`);
      } else {
        const [rest, term2] = this.itemList();
        if (term2.kind !== 'end') this.fail(term2.at, 'expected end; found {{else}}');
        elseList = rest;
      }
    }
    this.vars.length = mark;
    return { kind: kind as BranchNode['kind'], pos: at.pos, pipe, list, elseList };
  }

  private templateControl(at: Token): Node {
    const nameTok = this.nextNonSpace();
    if (nameTok.kind !== 'string' && nameTok.kind !== 'rawString') this.unexpected(nameTok, 'template clause');
    const name = this.stringValue(nameTok);
    let pipe: PipeNode | undefined;
    const next = this.nextNonSpace();
    if (next.kind !== 'rightDelim') {
      this.backup(next);
      pipe = this.pipeline('template clause', 'rightDelim');
    }
    return { kind: 'template', pos: at.pos, name, pipe };
  }

  private blockControl(at: Token): Node {
    const nameTok = this.nextNonSpace();
    if (nameTok.kind !== 'string' && nameTok.kind !== 'rawString') this.unexpected(nameTok, 'block clause');
    const name = this.stringValue(nameTok);
    let pipe: PipeNode | undefined;
    const next = this.nextNonSpace();
    if (next.kind !== 'rightDelim') {
      this.backup(next);
      pipe = this.pipeline('block clause', 'rightDelim');
    }
    this.defineBody(name);
    return { kind: 'template', pos: at.pos, name, pipe };
  }

  // ---- pipelines

  private pipeline(context: string, end: 'rightDelim' | 'rightParen'): PipeNode {
    const decl: string[] = [];
    let isAssign = false;
    const start = this.peekNonSpace();
    const declare = (v: Token, assign: boolean) => {
      decl.push(v.text);
      if (assign) {
        if (!this.vars.includes(v.text)) this.fail(v, `undefined variable ${JSON.stringify(v.text)}`);
      } else this.vars.push(v.text);
    };
    for (;;) {
      const v = this.peekNonSpace();
      if (v.kind !== 'variable') break;
      this.nextNonSpace();
      const after = this.peekNonSpace();
      if (after.kind === 'declare' || after.kind === 'assign') {
        this.nextNonSpace();
        isAssign = after.kind === 'assign';
        declare(v, isAssign);
        break;
      }
      if (after.kind === 'comma') {
        this.nextNonSpace();
        if (context !== 'range' || decl.length > 0) this.fail(after, `too many declarations in ${context}`);
        const v2 = this.nextNonSpace();
        if (v2.kind !== 'variable') this.fail(v2, 'range can only initialize variables');
        const op = this.nextNonSpace();
        if (op.kind !== 'declare' && op.kind !== 'assign') this.unexpected(op, context);
        isAssign = op.kind === 'assign';
        declare(v, isAssign);
        declare(v2, isAssign);
        break;
      }
      this.backup(v);
      break;
    }
    const cmds: CommandNode[] = [];
    for (;;) {
      const t = this.nextNonSpace();
      if (t.kind === end) {
        if (cmds.length === 0) this.fail(t, `missing value for ${context}`);
        cmds.slice(1).forEach((c, k) => {
          const first = c.args[0] as ArgNode;
          if (first.kind === 'literal' || first.kind === 'dot' || first.kind === 'nil') {
            this.fail(first.pos, `non executable command in pipeline stage ${k + 2}`);
          }
        });
        return { kind: 'pipe', pos: start.pos, decl, isAssign, cmds };
      }
      switch (t.kind) {
        case 'bool':
        case 'char':
        case 'dot':
        case 'field':
        case 'identifier':
        case 'number':
        case 'nil':
        case 'rawString':
        case 'string':
        case 'variable':
        case 'leftParen':
          this.backup(t);
          cmds.push(this.command());
          break;
        default:
          this.unexpected(t, context);
      }
    }
  }

  private command(): CommandNode {
    const args: ArgNode[] = [];
    const start = this.peekNonSpace();
    for (;;) {
      this.peekNonSpace();
      const operand = this.operand();
      if (operand !== undefined) args.push(operand);
      const t = this.next();
      if (t.kind === 'space') continue;
      if (t.kind === 'rightDelim' || t.kind === 'rightParen') this.backup(t);
      else if (t.kind !== 'pipe') this.unexpected(t, 'operand');
      break;
    }
    if (args.length === 0) this.fail(start, 'empty command');
    return { kind: 'command', pos: start.pos, args };
  }

  private operand(): ArgNode | undefined {
    const node = this.term();
    if (node === undefined) return undefined;
    if (this.peek().kind !== 'field') return node;
    const fields: string[] = [];
    while (this.peek().kind === 'field') fields.push(this.next().text.slice(1));
    switch (node.kind) {
      case 'field':
        return { kind: 'field', pos: node.pos, idents: [...node.idents, ...fields] };
      case 'variable':
        return { kind: 'variable', pos: node.pos, idents: [...node.idents, ...fields] };
      case 'literal':
      case 'nil':
      case 'dot':
        return this.fail(
          node.pos,
          `unexpected . after term ${JSON.stringify(node.kind === 'literal' ? node.text : node.kind === 'nil' ? 'nil' : '.')}`,
        );
      default:
        return { kind: 'chain', pos: node.pos, node, fields };
    }
  }

  private term(): ArgNode | undefined {
    const t = this.nextNonSpace();
    switch (t.kind) {
      case 'identifier':
        if (!this.hasFunction(t.text)) this.fail(t, `function ${JSON.stringify(t.text)} not defined`);
        return { kind: 'identifier', pos: t.pos, name: t.text };
      case 'dot':
        return { kind: 'dot', pos: t.pos };
      case 'nil':
        return { kind: 'nil', pos: t.pos };
      case 'variable':
        if (!this.vars.includes(t.text)) this.fail(t, `undefined variable ${JSON.stringify(t.text)}`);
        return { kind: 'variable', pos: t.pos, idents: [t.text] };
      case 'field':
        return { kind: 'field', pos: t.pos, idents: [t.text.slice(1)] };
      case 'bool':
        return { kind: 'literal', pos: t.pos, value: t.text === 'true', text: t.text };
      case 'char':
      case 'number':
        try {
          return {
            kind: 'literal',
            pos: t.pos,
            value: t.kind === 'char' ? runeValue(t.text) : numberValue(t.text),
            text: t.text,
          };
        } catch (err) {
          return this.fail(t, (err as Error).message);
        }
      case 'string':
      case 'rawString':
        return { kind: 'literal', pos: t.pos, value: this.stringValue(t), text: t.text };
      case 'leftParen':
        return this.pipeline('parenthesized pipeline', 'rightParen');
      default:
        this.backup(t);
        return undefined;
    }
  }

  private stringValue(t: Token): string {
    if (t.kind === 'rawString') return t.text.slice(1, -1).replace(/\r/g, '');
    try {
      return unquote(t.text);
    } catch (err) {
      return this.fail(t, (err as Error).message);
    }
  }
}
