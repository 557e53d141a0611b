/** Vector selectors, label matchers and grouping label lists. */
import { Matcher, MatcherError, type MatchType, metricNameLabel } from '../../model/index.ts';
import { mergeRanges, type PositionRange, type VectorSelector } from './ast.ts';
import { goQuote, isValidUtf8, unquote } from './go-strings.ts';
import type { ParserState } from './parser-state.ts';
import { goRegexpError } from './regexp-errors.ts';
import type { Item, ItemType } from './token.ts';

/** Items that can name a metric outside braces: identifiers and the keywords that double as names. */
export const metricIdentifierTypes: ReadonlySet<ItemType> = new Set<ItemType>([
  'AVG',
  'BOTTOMK',
  'BY',
  'COUNT',
  'COUNT_VALUES',
  'FILL',
  'FILL_LEFT',
  'FILL_RIGHT',
  'GROUP',
  'IDENTIFIER',
  'LAND',
  'LOR',
  'LUNLESS',
  'MAX',
  'METRIC_IDENTIFIER',
  'MIN',
  'OFFSET',
  'QUANTILE',
  'STDDEV',
  'STDVAR',
  'SUM',
  'TOPK',
  'WITHOUT',
  'START',
  'END',
  'LIMITK',
  'LIMIT_RATIO',
  'STEP',
  'RANGE',
  'ANCHORED',
  'SMOOTHED',
  'MAX_OF',
  'MIN_OF',
]);

/** Items that can be a label name in `by (…)`, `on (…)` and `group_left (…)`. */
const maybeLabelTypes: ReadonlySet<ItemType> = new Set<ItemType>([
  ...metricIdentifierTypes,
  'BOOL',
  'GROUP_LEFT',
  'GROUP_RIGHT',
  'IGNORING',
  'ON',
  'ATAN2',
]);

const matchTypes: Readonly<Partial<Record<ItemType, MatchType>>> = {
  EQL: '=',
  NEQ: '!=',
  EQL_REGEX: '=~',
  NEQ_REGEX: '!~',
};

const labelMatching = 'label matching';
const groupingOpts = 'grouping opts';

/** The value of a string item; an unquoting failure is reported at the item. */
export function unquoteItem(p: ParserState, item: Item): string {
  try {
    return unquote(item.val);
  } catch (err) {
    p.addError(p.itemRange(item), `error unquoting string ${goQuote(item.val)}: ${(err as Error).message}`);
    return '';
  }
}

function newMatcher(p: ParserState, type: MatchType, name: string, value: string, range: PositionRange) {
  try {
    return Matcher.create(type, name, value);
  } catch (err) {
    if (!(err instanceof MatcherError)) throw err;
    const cause = err.cause instanceof Error ? err.cause.message : err.message;
    p.addError(range, goRegexpError(cause));
    return null;
  }
}

/** `vector_selector`: `name`, `name{…}` or `{…}`. */
export function parseVectorSelector(p: ParserState): VectorSelector {
  let nameItem: Item | undefined;
  if (metricIdentifierTypes.has(p.curType())) nameItem = p.take();
  else if (p.curType() !== 'LEFT_BRACE') throw p.syntaxError();
  const vs: VectorSelector = {
    type: 'VectorSelector',
    name: nameItem?.val ?? '',
    labelMatchers: [],
    originalOffsetMs: 0,
    originalOffsetExpr: null,
    timestampMs: null,
    startOrEnd: null,
    anchored: false,
    smoothed: false,
    bypassEmptyMatcherCheck: false,
    posRange: nameItem === undefined ? { start: 0, end: 0 } : p.itemRange(nameItem),
  };
  if (p.curType() === 'LEFT_BRACE') {
    const braces = parseLabelMatchers(p, vs.labelMatchers);
    vs.posRange = nameItem === undefined ? braces : mergeRanges(p.itemRange(nameItem), braces);
  }
  if (vs.name !== '') vs.labelMatchers.push(Matcher.create('=', metricNameLabel, vs.name));
  return vs;
}

/** `label_matchers`: `{` matchers with an optional trailing comma `}`; returns the range of the braces. */
function parseLabelMatchers(p: ParserState, into: Matcher[]): PositionRange {
  const lbrace = p.take();
  let rbrace = p.accept('RIGHT_BRACE');
  while (rbrace === undefined) {
    const m = parseLabelMatcher(p);
    if (m !== null) into.push(m);
    if (p.accept('COMMA') !== undefined) {
      rbrace = p.accept('RIGHT_BRACE');
      continue;
    }
    rbrace = p.accept('RIGHT_BRACE');
    if (rbrace === undefined) throw p.syntaxError({ context: labelMatching, expected: '"," or "}"' });
  }
  return mergeRanges(p.itemRange(lbrace), p.itemRange(rbrace));
}

/** `label_matcher`: `name op "value"`, `"name" op "value"`, or a bare `"metric name"`. */
function parseLabelMatcher(p: ParserState): Matcher | null {
  const expectString = { context: labelMatching, expected: 'string' };
  if (p.curType() === 'STRING') {
    const item = p.take();
    const name = unquoteItem(p, item);
    const type = matchTypes[p.curType()];
    if (type === undefined) return newMatcher(p, '=', metricNameLabel, name, p.itemRange(item));
    p.take();
    if (p.curType() !== 'STRING') throw p.syntaxError(expectString);
    const value = p.take();
    return newMatcher(p, type, name, unquoteItem(p, value), mergeRanges(p.itemRange(item), p.itemRange(value)));
  }
  if (p.curType() !== 'IDENTIFIER') throw p.syntaxError({ context: labelMatching, expected: 'identifier or "}"' });
  const nameItem = p.take();
  const type = matchTypes[p.curType()];
  if (type === undefined) throw p.syntaxError({ context: labelMatching, expected: 'label matching operator' });
  p.take();
  if (p.curType() !== 'STRING') throw p.syntaxError(expectString);
  const value = p.take();
  const range = mergeRanges(p.itemRange(nameItem), p.itemRange(value));
  return newMatcher(p, type, nameItem.val, unquoteItem(p, value), range);
}

/** `grouping_labels`: `(` labels with an optional trailing comma `)`. */
export function parseGroupingLabels(p: ParserState): string[] {
  if (p.accept('LEFT_PAREN') === undefined) throw p.syntaxError({ context: groupingOpts, expected: '"("' });
  const labels: string[] = [];
  if (p.accept('RIGHT_PAREN') !== undefined) return labels;
  for (;;) {
    labels.push(parseGroupingLabel(p));
    if (p.accept('COMMA') !== undefined) {
      if (p.accept('RIGHT_PAREN') !== undefined) return labels;
      continue;
    }
    if (p.accept('RIGHT_PAREN') !== undefined) return labels;
    throw p.syntaxError({ context: groupingOpts, expected: '"," or ")"' });
  }
}

/** `maybe_grouping_labels`: grouping labels when a `(` follows. */
export function parseMaybeGroupingLabels(p: ParserState): string[] {
  return p.curType() === 'LEFT_PAREN' ? parseGroupingLabels(p) : [];
}

function parseGroupingLabel(p: ParserState): string {
  if (p.curType() !== 'STRING' && !maybeLabelTypes.has(p.curType())) {
    throw p.syntaxError({ context: groupingOpts, expected: 'label' });
  }
  const item = p.take();
  const name = item.type === 'STRING' ? unquoteItem(p, item) : item.val;
  if (name === '' || !isValidUtf8(name)) {
    p.addError(p.itemRange(item), `invalid label name for grouping: ${goQuote(name)}`);
  }
  return name;
}
