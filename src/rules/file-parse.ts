/**
 * Parses a rule file (Prometheus' format: `groups: [{name, interval, limit, query_offset, labels, rules}]`),
 * validating everything Prometheus validates at load: names, labels, durations, PromQL expressions and alert
 * templates. Every problem is reported with the file, line and column of the node it concerns.
 */
import { isScalar, isSeq, LineCounter, type Node, parseDocument, type Scalar } from 'yaml';
import { Labels, parseDurationMs } from '../model/index.ts';
import { type Expr, exprToString, ParseError, type ParseOptions, parseExpr } from '../promql/index.ts';
import { RuleFileError, type RuleIssue } from './errors.ts';
import { isValidLabelName, isValidLabelValue, isValidMetricName } from './names.ts';
import type { GroupSpec, RuleSpec } from './spec.ts';
import { templateProblem } from './templates.ts';
import { describe, entries, IssueSink, scalarText, stringMap } from './yaml-walk.ts';

const groupKeys = ['name', 'interval', 'query_offset', 'limit', 'labels', 'rules'] as const;
const ruleKeys = ['record', 'alert', 'expr', 'for', 'keep_firing_for', 'labels', 'annotations'] as const;

export interface ParseRuleFileOptions {
  /** PromQL language features the expressions may use. @default Prometheus' defaults */
  readonly parseOptions?: ParseOptions;
}

/** The groups of a rule file, or every problem in it. */
export type ParsedRuleFile = { ok: true; groups: GroupSpec[] } | { ok: false; issues: RuleIssue[] };

/** Parses and validates rule file text; `file` names it in messages and in the groups. Never throws. */
export function parseRuleFile(text: string, file: string, options: ParseRuleFileOptions = {}): ParsedRuleFile {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const sink = new IssueSink(file, text, lines);
  for (const e of doc.errors) {
    const p = sink.pos(e.pos[0]);
    const first = (e.message.split('\n')[0] ?? e.message).replace(/ at line \d+, column \d+:?$/, '');
    sink.issues.push({ file, ...p, message: `invalid YAML: ${first}` });
  }
  if (sink.issues.length > 0) return { ok: false, issues: sink.issues };
  const root = doc.contents as Node | null;
  const groups: GroupSpec[] = [];
  if (root === null || (isScalar(root) && root.value === null)) return { ok: true, groups };
  const top = entries(root, ['groups'], sink, 'rule file');
  const list = top?.get('groups')?.value ?? null;
  if (list !== null && !isSeq(list)) sink.at(list, `groups: expected a list, got ${describe(list)}`);
  const seen = new Map<string, Node>();
  if (list !== null && isSeq(list)) {
    for (const item of list.items as Node[]) {
      const g = parseGroup(item, file, sink, options);
      if (g === undefined) continue;
      if (seen.has(g.spec.name))
        sink.at(g.nameNode, `groupname: ${JSON.stringify(g.spec.name)} is repeated in the same file`);
      else seen.set(g.spec.name, g.nameNode);
      groups.push(g.spec);
    }
  }
  if (sink.issues.length > 0) {
    sink.issues.sort((a, b) => a.line - b.line || a.col - b.col);
    return { ok: false, issues: sink.issues };
  }
  return { ok: true, groups };
}

/** Parses rule file text, throwing RuleFileError with every problem. */
export function parseRuleFileOrThrow(text: string, file: string, options: ParseRuleFileOptions = {}): GroupSpec[] {
  const r = parseRuleFile(text, file, options);
  if (!r.ok) throw new RuleFileError(r.issues);
  return r.groups;
}

function duration(node: Node | null | undefined, sink: IssueSink, what: string): number | undefined {
  if (node === null || node === undefined) return 0;
  const text = scalarText(node);
  const ms = text === undefined ? undefined : parseDurationMs(text);
  if (ms === undefined) {
    sink.at(node, `${what}: expected a duration like 1m, got ${describe(node)}`);
    return undefined;
  }
  return ms;
}

function labelCheck(sink: IssueSink, where: string) {
  return (name: string, keyNode: Node, value: string, valueNode: Node): boolean => {
    if (!isValidLabelName(name) || name === '__name__') {
      sink.at(keyNode, `${where}invalid label name: ${name}`);
      return false;
    }
    if (!isValidLabelValue(value)) {
      sink.at(valueNode, `${where}invalid label value: ${value}`);
      return false;
    }
    return true;
  };
}

function parseGroup(
  node: Node,
  file: string,
  sink: IssueSink,
  options: ParseRuleFileOptions,
): { spec: GroupSpec; nameNode: Node } | undefined {
  const e = entries(node, groupKeys, sink, 'group');
  if (e === undefined) return undefined;
  const nameNode = e.get('name')?.value ?? e.get('name')?.key ?? node;
  const name = scalarText(e.get('name')?.value) ?? '';
  if (name === '') sink.at(nameNode, 'groupname must not be empty');
  const where = `group ${JSON.stringify(name)}: `;
  const intervalMs = duration(e.get('interval')?.value, sink, `${where}interval`) ?? 0;
  const queryOffsetMs = duration(e.get('query_offset')?.value, sink, `${where}query_offset`) ?? 0;
  let limit = 0;
  const limitNode = e.get('limit')?.value;
  if (limitNode !== undefined && limitNode !== null) {
    const v = isScalar(limitNode) ? limitNode.value : undefined;
    if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) limit = v;
    else sink.at(limitNode, `${where}limit: expected an integer >= 0, got ${describe(limitNode)}`);
  }
  const groupLabels = stringMap(e.get('labels')?.value, sink, `${where}labels`, labelCheck(sink, where)) ?? [];
  const rulesNode = e.get('rules')?.value ?? null;
  const rules: RuleSpec[] = [];
  if (rulesNode !== null && !isSeq(rulesNode))
    sink.at(rulesNode, `${where}rules: expected a list, got ${describe(rulesNode)}`);
  if (rulesNode !== null && isSeq(rulesNode)) {
    (rulesNode.items as Node[]).forEach((r, i) => {
      const spec = parseRule(r, `${where}rule ${i + 1}`, groupLabels, sink, options);
      if (spec !== undefined) rules.push(spec);
    });
  }
  return { spec: { file, name, intervalMs, limit, queryOffsetMs, rules }, nameNode };
}

function parseRule(
  node: Node,
  context: string,
  groupLabels: readonly [string, string][],
  sink: IssueSink,
  options: ParseRuleFileOptions,
): RuleSpec | undefined {
  const e = entries(node, ruleKeys, sink, context);
  if (e === undefined) return undefined;
  const issuesBefore = sink.issues.length;
  const record = scalarText(e.get('record')?.value) ?? '';
  const alert = scalarText(e.get('alert')?.value) ?? '';
  const name = record || alert;
  const where = name === '' ? `${context}: ` : `${context}, ${JSON.stringify(name)}: `;
  if (record !== '' && alert !== '')
    sink.at(e.get('alert')?.key, `${where}only one of 'record' and 'alert' must be set`);
  if (record === '' && alert === '') sink.at(node, `${where}one of 'record' or 'alert' must be set`);
  const kind = record !== '' ? 'recording' : 'alerting';
  if (kind === 'recording' && record !== '' && !isValidMetricName(record)) {
    sink.at(e.get('record')?.value, `${where}invalid recording rule name: ${record}`);
  }

  let expr: Expr | undefined;
  const exprNode = e.get('expr')?.value ?? null;
  const exprText = scalarText(exprNode) ?? '';
  if (exprText.trim() === '') sink.at(exprNode ?? node, `${where}field 'expr' must be set in rule`);
  else {
    try {
      expr = parseExpr(exprText, options.parseOptions);
    } catch (err) {
      if (!(err instanceof ParseError)) throw err;
      const p = err.problems[0];
      if (p !== undefined && p.line > 0 && isScalar(exprNode)) {
        sink.inScalar(exprNode as Scalar, p.line, p.column, `${where}could not parse expression: ${err.message}`);
      } else sink.at(exprNode, `${where}could not parse expression: ${err.message}`);
    }
  }

  const forMs = duration(e.get('for')?.value, sink, `${where}for`) ?? 0;
  const keepFiringForMs = duration(e.get('keep_firing_for')?.value, sink, `${where}keep_firing_for`) ?? 0;
  const ruleLabels = stringMap(e.get('labels')?.value, sink, `${where}labels`, labelCheck(sink, where)) ?? [];
  const annotations =
    stringMap(e.get('annotations')?.value, sink, `${where}annotations`, (n, keyNode) => {
      if (isValidLabelName(n)) return true;
      sink.at(keyNode, `${where}invalid annotation name: ${n}`);
      return false;
    }) ?? [];

  if (kind === 'recording') {
    if (e.has('for') && forMs !== 0) sink.at(e.get('for')?.key, `${where}invalid field 'for' in recording rule`);
    if (e.has('keep_firing_for') && keepFiringForMs !== 0)
      sink.at(e.get('keep_firing_for')?.key, `${where}invalid field 'keep_firing_for' in recording rule`);
    if (annotations.length > 0)
      sink.at(e.get('annotations')?.key, `${where}invalid field 'annotations' in recording rule`);
  } else {
    for (const [field, list] of [
      ['labels', e.get('labels')?.value],
      ['annotations', e.get('annotations')?.value],
    ] as const) {
      checkTemplates(list, `${where}${field === 'labels' ? 'label' : 'annotation'}`, name, sink);
    }
  }
  if (sink.issues.length > issuesBefore || expr === undefined) return undefined;
  const labelMap = new Map<string, string>(groupLabels);
  for (const [k, v] of ruleLabels) labelMap.set(k, v);
  return {
    kind,
    name,
    expr,
    query: exprToString(expr),
    forMs,
    keepFiringForMs,
    labels: Labels.fromMap(labelMap),
    annotations: annotations.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)),
  };
}

/** Reports each label or annotation value of an alerting rule that does not parse as a template. */
function checkTemplates(node: Node | null | undefined, what: string, alertName: string, sink: IssueSink): void {
  if (node === null || node === undefined || !('items' in node)) return;
  for (const pair of (node as { items: { key: unknown; value: unknown }[] }).items) {
    const value = pair.value as Node | null;
    const text = scalarText(value);
    if (text === undefined || !text.includes('{{')) continue;
    const p = templateProblem(text, alertName);
    if (p === undefined) continue;
    const message = `${what} ${JSON.stringify(scalarText(pair.key as Node))}: ${p.message}`;
    if (isScalar(value)) sink.inScalar(value as Scalar, p.line, p.column, message);
    else sink.at(value, message);
  }
}
