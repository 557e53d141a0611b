/**
 * Lexical items of PromQL and how error messages describe them (`<op:*>`, `<by>`, `identifier "foo"`, `end of
 * input`), following upstream's item types and their categories (operators, aggregators, keywords).
 */
import { goQuote, goQuotePrefix } from './go-strings.ts';

const operators = [
  'ADD',
  'DIV',
  'EQLC',
  'EQL_REGEX',
  'GTE',
  'GTR',
  'LAND',
  'LOR',
  'LSS',
  'LTE',
  'LUNLESS',
  'MOD',
  'MUL',
  'NEQ',
  'NEQ_REGEX',
  'POW',
  'SUB',
  'AT',
  'ATAN2',
  'TRIM_UPPER',
  'TRIM_LOWER',
] as const;
const aggregators = [
  'AVG',
  'BOTTOMK',
  'COUNT',
  'COUNT_VALUES',
  'GROUP',
  'MAX',
  'MIN',
  'QUANTILE',
  'STDDEV',
  'STDVAR',
  'SUM',
  'TOPK',
  'LIMITK',
  'LIMIT_RATIO',
] as const;
const keywords = [
  'BOOL',
  'BY',
  'GROUP_LEFT',
  'GROUP_RIGHT',
  'IGNORING',
  'OFFSET',
  'SMOOTHED',
  'ANCHORED',
  'ON',
  'WITHOUT',
  'FILL',
  'FILL_LEFT',
  'FILL_RIGHT',
] as const;
const preprocessors = ['START', 'END', 'STEP', 'RANGE', 'MIN_OF', 'MAX_OF'] as const;
const others = [
  'EQL',
  'COLON',
  'COMMA',
  'COMMENT',
  'DURATION',
  'EOF',
  'ERROR',
  'IDENTIFIER',
  'LEFT_BRACE',
  'LEFT_BRACKET',
  'LEFT_PAREN',
  'METRIC_IDENTIFIER',
  'NUMBER',
  'RIGHT_BRACE',
  'RIGHT_BRACKET',
  'RIGHT_PAREN',
  'STRING',
] as const;

export type ItemType =
  | (typeof operators)[number]
  | (typeof aggregators)[number]
  | (typeof keywords)[number]
  | (typeof preprocessors)[number]
  | (typeof others)[number];

/** A lexical item. `pos` is the byte offset of its first byte in the UTF-8 encoded query. */
export interface Item {
  readonly type: ItemType;
  readonly pos: number;
  /** The source text of the item; for `ERROR` the error message. */
  readonly val: string;
}

const operatorSet: ReadonlySet<ItemType> = new Set(operators);
const aggregatorSet: ReadonlySet<ItemType> = new Set(aggregators);
const keywordSet: ReadonlySet<ItemType> = new Set(keywords);

export const isOperator = (t: ItemType): boolean => operatorSet.has(t);
export const isAggregator = (t: ItemType): boolean => aggregatorSet.has(t);
export const isKeyword = (t: ItemType): boolean => keywordSet.has(t);

/** Words the lexer turns into keyword items, case-insensitively (`inf` and `nan` become numbers). */
export const keywordItems: Readonly<Record<string, ItemType>> = {
  and: 'LAND',
  or: 'LOR',
  unless: 'LUNLESS',
  atan2: 'ATAN2',
  sum: 'SUM',
  avg: 'AVG',
  count: 'COUNT',
  min: 'MIN',
  max: 'MAX',
  group: 'GROUP',
  stddev: 'STDDEV',
  stdvar: 'STDVAR',
  topk: 'TOPK',
  bottomk: 'BOTTOMK',
  count_values: 'COUNT_VALUES',
  quantile: 'QUANTILE',
  limitk: 'LIMITK',
  limit_ratio: 'LIMIT_RATIO',
  offset: 'OFFSET',
  smoothed: 'SMOOTHED',
  anchored: 'ANCHORED',
  by: 'BY',
  without: 'WITHOUT',
  on: 'ON',
  ignoring: 'IGNORING',
  group_left: 'GROUP_LEFT',
  group_right: 'GROUP_RIGHT',
  bool: 'BOOL',
  fill: 'FILL',
  fill_left: 'FILL_LEFT',
  fill_right: 'FILL_RIGHT',
  start: 'START',
  end: 'END',
  step: 'STEP',
  range: 'RANGE',
  min_of: 'MIN_OF',
  max_of: 'MAX_OF',
  inf: 'NUMBER',
  nan: 'NUMBER',
};

/** Words recognised in duration position (after `[`): `step()`, `range()`, `min_of(…)`, `max_of(…)`. */
export const durationKeywordItems: Readonly<Record<string, ItemType>> = {
  step: 'STEP',
  range: 'RANGE',
  min_of: 'MIN_OF',
  max_of: 'MAX_OF',
};

/** The canonical text of item types that have one (upstream's `ItemTypeStr`). */
export const itemTypeText: Readonly<Partial<Record<ItemType, string>>> = {
  LEFT_PAREN: '(',
  RIGHT_PAREN: ')',
  LEFT_BRACE: '{',
  RIGHT_BRACE: '}',
  LEFT_BRACKET: '[',
  RIGHT_BRACKET: ']',
  COMMA: ',',
  EQL: '=',
  COLON: ':',
  SUB: '-',
  ADD: '+',
  MUL: '*',
  MOD: '%',
  DIV: '/',
  EQLC: '==',
  NEQ: '!=',
  LTE: '<=',
  LSS: '<',
  GTE: '>=',
  GTR: '>',
  EQL_REGEX: '=~',
  NEQ_REGEX: '!~',
  POW: '^',
  AT: '@',
  TRIM_UPPER: '</',
  TRIM_LOWER: '>/',
  ...Object.fromEntries(
    Object.entries(keywordItems)
      .filter(([, t]) => t !== 'NUMBER')
      .map(([w, t]) => [t, w]),
  ),
};

/** Upstream's `Item.String()`. */
export function itemString(item: Item): string {
  const { type, val } = item;
  if (type === 'EOF') return 'EOF';
  if (type === 'ERROR') return val;
  if (type === 'IDENTIFIER' || type === 'METRIC_IDENTIFIER') return goQuote(val);
  if (isKeyword(type)) return `<${val}>`;
  if (isOperator(type)) return `<op:${val}>`;
  if (isAggregator(type)) return `<aggr:${val}>`;
  if (Buffer.byteLength(val, 'utf8') > 10) return `${goQuotePrefix(val, 10)}...`;
  return goQuote(val);
}

const typeDescriptions: Readonly<Partial<Record<ItemType, string>>> = {
  ERROR: 'error',
  EOF: 'end of input',
  COMMENT: 'comment',
  IDENTIFIER: 'identifier',
  METRIC_IDENTIFIER: 'metric identifier',
  STRING: 'string',
  NUMBER: 'number',
  DURATION: 'duration',
};

/** How `unexpected …` messages name an item: `<op:*>`, `"("`, `identifier "foo"`, `end of input`. */
export function itemDescription(item: Item): string {
  if (itemTypeText[item.type] !== undefined) return itemString(item);
  if (item.type === 'EOF') return 'end of input';
  const typeDesc = typeDescriptions[item.type] ?? goQuote(item.type);
  return `${typeDesc} ${itemString(item)}`;
}

/** Byte length of an item, for its position range. */
export function itemEnd(item: Item): number {
  return item.pos + Buffer.byteLength(item.val, 'utf8');
}
