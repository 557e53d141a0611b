/** Parse trees of templates. Every node records `pos`, the offset of its first character in the parsed text. */

export interface FieldNode {
  readonly kind: 'field';
  readonly pos: number;
  /** Field names without dots: `.A.B` is ['A', 'B']. */
  readonly idents: readonly string[];
}
export interface VariableNode {
  readonly kind: 'variable';
  readonly pos: number;
  /** The variable (`$x`, `$`) followed by field names: `$x.A` is ['$x', 'A']. */
  readonly idents: readonly string[];
}
export interface ChainNode {
  readonly kind: 'chain';
  readonly pos: number;
  readonly node: ArgNode;
  readonly fields: readonly string[];
}
export interface IdentifierNode {
  readonly kind: 'identifier';
  readonly pos: number;
  readonly name: string;
}
export interface DotNode {
  readonly kind: 'dot';
  readonly pos: number;
}
export interface NilNode {
  readonly kind: 'nil';
  readonly pos: number;
}
export interface LiteralNode {
  readonly kind: 'literal';
  readonly pos: number;
  /** string, number (float64), bigint (int) or boolean. */
  readonly value: string | number | bigint | boolean;
  /** The source text (`"a\tb"`, `0x1F`). */
  readonly text: string;
}
export type ArgNode =
  | FieldNode
  | VariableNode
  | ChainNode
  | IdentifierNode
  | DotNode
  | NilNode
  | LiteralNode
  | PipeNode;

export interface CommandNode {
  readonly kind: 'command';
  readonly pos: number;
  readonly args: readonly ArgNode[];
}
export interface PipeNode {
  readonly kind: 'pipe';
  readonly pos: number;
  /** Variables declared (`:=`) or assigned (`=`) by the pipeline, in source order. */
  readonly decl: readonly string[];
  readonly isAssign: boolean;
  readonly cmds: readonly CommandNode[];
}

export interface TextNode {
  readonly kind: 'text';
  readonly pos: number;
  readonly text: string;
}
export interface ActionNode {
  readonly kind: 'action';
  readonly pos: number;
  readonly pipe: PipeNode;
}
export interface BranchNode {
  readonly kind: 'if' | 'with' | 'range';
  readonly pos: number;
  readonly pipe: PipeNode;
  readonly list: ListNode;
  readonly elseList: ListNode | undefined;
}
export interface TemplateCallNode {
  readonly kind: 'template';
  readonly pos: number;
  readonly name: string;
  readonly pipe: PipeNode | undefined;
}
export interface LoopControlNode {
  readonly kind: 'break' | 'continue';
  readonly pos: number;
}
export type Node = TextNode | ActionNode | BranchNode | TemplateCallNode | LoopControlNode;

export interface ListNode {
  readonly nodes: readonly Node[];
}

/** A parsed template: `name` is its own name, `source` the text (and its name) it was parsed from. */
export interface Tree {
  readonly name: string;
  readonly root: ListNode;
  readonly source: { readonly name: string; readonly text: string };
}

/** The node as Go prints it in error messages (`.Foo`, `humanize $value`, `(.A).B`). */
export function nodeString(n: ArgNode | CommandNode): string {
  switch (n.kind) {
    case 'field':
      return `.${n.idents.join('.')}`;
    case 'variable':
      return n.idents.join('.');
    case 'chain':
      return `${n.node.kind === 'pipe' ? `(${nodeString(n.node)})` : nodeString(n.node)}.${n.fields.join('.')}`;
    case 'identifier':
      return n.name;
    case 'dot':
      return '.';
    case 'nil':
      return 'nil';
    case 'literal':
      return n.text;
    case 'command':
      return n.args.map((a) => (a.kind === 'pipe' ? `(${nodeString(a)})` : nodeString(a))).join(' ');
    case 'pipe': {
      const decl = n.decl.length > 0 ? `${n.decl.join(', ')} ${n.isAssign ? '=' : ':='} ` : '';
      return decl + n.cmds.map(nodeString).join(' | ');
    }
  }
}
