/**
 * `/api/v1/rules` and `/api/v1/alerts` in Prometheus' shapes (`web/api/v1/api.go`): rule groups with their rules'
 * health and alerts, filtered by `type`, `rule_name[]`, `rule_group[]`, `file[]`, `match[]` and `exclude_alerts`;
 * and every pending or firing alert. Times are RFC 3339 with nanoseconds, durations seconds, an alert's value
 * a string in Go's `'e'` format.
 */
import type { Labels, Matcher } from '../../model/index.ts';
import { goQuote } from '../../promql/index.ts';
import type { Route } from '../router.ts';
import { getAndPost } from './query-api.ts';
import { ApiError } from './query-errors.ts';
import { encodeJson, encodeLabels, goJsonString, RawJson } from './query-json.ts';
import { type ApiParams, invalidParam, parseMatcherSets } from './query-params.ts';

export interface AlertStatusView {
  readonly labels: Labels;
  readonly annotations: Labels;
  readonly state: 'inactive' | 'pending' | 'firing';
  /** Unix ms. */
  readonly activeAtMs: number;
  /** Unix ms, when `keep_firing_for` keeps the alert firing. */
  readonly keepFiringSinceMs: number | undefined;
  readonly value: number;
}

export interface RuleView {
  readonly type: 'alerting' | 'recording';
  readonly name: string;
  readonly query: string;
  readonly labels: Labels;
  readonly annotations: Labels;
  readonly durationMs: number;
  readonly keepFiringForMs: number;
  readonly health: 'unknown' | 'ok' | 'err';
  readonly lastError: string | undefined;
  readonly evaluationTimeMs: number;
  readonly lastEvaluationMs: number | undefined;
  readonly state: 'inactive' | 'pending' | 'firing';
  /** Pending and firing alerts. */
  readonly alerts: readonly AlertStatusView[];
}

export interface RuleGroupView {
  readonly name: string;
  readonly file: string;
  readonly intervalMs: number;
  readonly limit: number;
  readonly evaluationTimeMs: number;
  readonly lastEvaluationMs: number | undefined;
  readonly rules: readonly RuleView[];
}

/** What the routes need from the rule manager (its RuleManager satisfies it). */
export interface RulesBackend {
  /** The groups in evaluation order, their rules in file order. */
  ruleGroupStatus(): readonly RuleGroupView[];
}

export function rulesRoutes(rules: () => RulesBackend | undefined): Route[] {
  const backend = (): RulesBackend => {
    const b = rules();
    if (b === undefined) throw new ApiError('unavailable', 'the rule manager is not running');
    return b;
  };
  return [
    ...getAndPost('/api/v1/rules', 'user', (params) => ({ data: new RawJson(rulesData(backend(), params)) })),
    ...getAndPost('/api/v1/alerts', 'user', () => {
      const alerts: string[] = [];
      for (const g of backend().ruleGroupStatus()) {
        for (const r of g.rules) if (r.type === 'alerting') for (const a of r.alerts) alerts.push(alertJson(a));
      }
      return { data: new RawJson(`{"alerts":[${alerts.join(',')}]}`) };
    }),
  ];
}

function rulesData(b: RulesBackend, params: ApiParams): string {
  const type = params.get('type').toLowerCase();
  if (type !== '' && type !== 'alert' && type !== 'record') {
    throw invalidParam('type', `not supported value ${goQuote(type)}`);
  }
  const exclude = parseBool(params.get('exclude_alerts').toLowerCase());
  if (exclude === undefined) {
    throw invalidParam(
      'exclude_alerts',
      `error converting exclude_alerts: strconv.ParseBool: parsing ${goQuote(params.get('exclude_alerts').toLowerCase())}: invalid syntax`,
    );
  }
  let matcherSets: Matcher[][] = [];
  try {
    matcherSets = parseMatcherSets(params.all('match[]'));
  } catch (err) {
    throw ApiError.badData((err as Error).message);
  }
  const names = new Set(params.all('rule_name[]'));
  const groupNames = new Set(params.all('rule_group[]'));
  const files = new Set(params.all('file[]'));
  const groups: string[] = [];
  for (const g of b.ruleGroupStatus()) {
    if (groupNames.size > 0 && !groupNames.has(g.name)) continue;
    if (files.size > 0 && !files.has(g.file)) continue;
    const rules: string[] = [];
    for (const r of g.rules) {
      if (names.size > 0 && !names.has(r.name)) continue;
      if (matcherSets.length > 0 && !matcherSets.some((set) => set.every((m) => m.matches(r.labels.get(m.name))))) {
        continue;
      }
      if (r.type === 'alerting' && (type === '' || type === 'alert')) rules.push(alertingRuleJson(r, exclude));
      if (r.type === 'recording' && (type === '' || type === 'record')) rules.push(recordingRuleJson(r));
    }
    // A group whose every rule was filtered out is left out, as upstream does.
    if (rules.length === 0 && g.rules.length > 0) continue;
    groups.push(
      `{"name":${goJsonString(g.name)},"file":${goJsonString(g.file)},"rules":[${rules.join(',')}],` +
        `"interval":${encodeJson(g.intervalMs / 1000)},"limit":${g.limit},` +
        `"evaluationTime":${encodeJson(g.evaluationTimeMs / 1000)},"lastEvaluation":"${goTime(g.lastEvaluationMs)}"}`,
    );
  }
  return `{"groups":[${groups.join(',')}]}`;
}

function alertingRuleJson(r: RuleView, excludeAlerts: boolean): string {
  const alerts = excludeAlerts ? 'null' : `[${r.alerts.map(alertJson).join(',')}]`;
  return (
    `{"state":"${r.state}","name":${goJsonString(r.name)},"query":${goJsonString(r.query)},` +
    `"duration":${encodeJson(r.durationMs / 1000)},"keepFiringFor":${encodeJson(r.keepFiringForMs / 1000)},` +
    `"labels":${encodeLabels(r.labels)},"annotations":${encodeLabels(r.annotations)},"alerts":${alerts},` +
    `"health":"${r.health}"${lastError(r)},"evaluationTime":${encodeJson(r.evaluationTimeMs / 1000)},` +
    `"lastEvaluation":"${goTime(r.lastEvaluationMs)}","type":"alerting"}`
  );
}

function recordingRuleJson(r: RuleView): string {
  const labels = r.labels.size > 0 ? `,"labels":${encodeLabels(r.labels)}` : '';
  return (
    `{"name":${goJsonString(r.name)},"query":${goJsonString(r.query)}${labels},"health":"${r.health}"${lastError(r)},` +
    `"evaluationTime":${encodeJson(r.evaluationTimeMs / 1000)},"lastEvaluation":"${goTime(r.lastEvaluationMs)}",` +
    `"type":"recording"}`
  );
}

function lastError(r: RuleView): string {
  return r.lastError === undefined || r.lastError === '' ? '' : `,"lastError":${goJsonString(r.lastError)}`;
}

function alertJson(a: AlertStatusView): string {
  const keep = a.keepFiringSinceMs === undefined ? '' : `,"keepFiringSince":"${goTime(a.keepFiringSinceMs)}"`;
  return (
    `{"labels":${encodeLabels(a.labels)},"annotations":${encodeLabels(a.annotations)},"state":"${a.state}",` +
    `"activeAt":"${goTime(a.activeAtMs)}"${keep},"value":"${formatFloatE(a.value)}"}`
  );
}

/** Go's `strconv.ParseBool`. */
function parseBool(s: string): boolean | undefined {
  if (s === '') return false;
  if (['1', 't', 'true'].includes(s)) return true;
  if (['0', 'f', 'false'].includes(s)) return false;
  return undefined;
}

/** A time as Go's `time.Time` marshals it (RFC 3339, nanoseconds without trailing zeros); undefined is Go's zero time. */
export function goTime(ms: number | undefined): string {
  if (ms === undefined) return '0001-01-01T00:00:00Z';
  const iso = new Date(ms).toISOString();
  return iso.replace(/\.(\d+)Z$/, (_, f: string) => (/^0+$/.test(f) ? 'Z' : `.${f.replace(/0+$/, '')}Z`));
}

/** `strconv.FormatFloat(f, 'e', -1, 64)`: `1e+00`, `2.5e-01`, `NaN`, `+Inf`. */
export function formatFloatE(f: number): string {
  if (Number.isNaN(f)) return 'NaN';
  if (f === Number.POSITIVE_INFINITY) return '+Inf';
  if (f === Number.NEGATIVE_INFINITY) return '-Inf';
  const [mant, exp] = f.toExponential().split('e') as [string, string];
  const e = Number(exp);
  const sign = Object.is(f, -0) ? '-' : '';
  return `${sign}${mant}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
}
