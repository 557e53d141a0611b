/**
 * The rules' view of the template engine: alert labels and annotations are Go text/templates with Prometheus'
 * rule-template header (`$labels`, `$externalLabels`, `$externalURL`, `$value`) and its function map.
 */
import {
  checkTemplate,
  expandRuleTemplate,
  type PrometheusFuncsOptions,
  prometheusFuncs,
  RuleTemplate,
} from '../template/index.ts';

/** Runs an instant query for a template's `query` function: the samples as plain labels and values. */
export type TemplateQuery = (
  query: string,
  timeMs: number,
) => Promise<{ Labels: Record<string, string>; Value: number }[]>;

/** What one alert's templates see. */
export interface AlertTemplateData {
  readonly labels: Record<string, string>;
  readonly externalLabels: Record<string, string>;
  readonly externalURL: string;
  readonly value: number;
}

/**
 * Expands `text` for an alert of rule `alertName` evaluated at `timeMs`. Never throws: a failure comes back as
 * `<error expanding template: …>` (as Prometheus), and is passed to `onError`.
 */
export function expandAlertTemplate(
  text: string,
  data: AlertTemplateData,
  alertName: string,
  query: TemplateQuery,
  timeMs: number,
  onError?: (err: Error) => void,
): Promise<string> {
  const funcs = prometheusFuncs({ query, timeMs, externalURL: data.externalURL });
  return expandRuleTemplate(text, data, funcs, `__alert_${alertName}`, onError);
}

/**
 * One alerting rule's templates, each parsed once and expanded per alert and evaluation. A text without
 * actions expands to itself (as Go's template would), without running the engine. Not for concurrent
 * evaluations of the same rule (a rule's evaluations never overlap).
 */
export class AlertTemplates {
  private readonly options: { -readonly [K in keyof PrometheusFuncsOptions]: PrometheusFuncsOptions[K] };
  private readonly funcs: ReturnType<typeof prometheusFuncs>;
  private readonly compiled = new Map<string, RuleTemplate>();

  constructor(
    private readonly alertName: string,
    query: TemplateQuery,
  ) {
    this.options = { query, timeMs: 0, externalURL: '' };
    this.funcs = prometheusFuncs(this.options);
  }

  /** Expands `text` for an alert evaluated at `timeMs`; never throws (see {@link expandAlertTemplate}). */
  expand(text: string, data: AlertTemplateData, timeMs: number, onError?: (err: Error) => void): Promise<string> {
    if (!text.includes('{{')) return Promise.resolve(text);
    this.options.timeMs = timeMs;
    this.options.externalURL = data.externalURL;
    let t = this.compiled.get(text);
    if (t === undefined) {
      t = new RuleTemplate(text, this.funcs, `__alert_${this.alertName}`);
      this.compiled.set(text, t);
    }
    return t.expand(data, onError);
  }
}

const noQuery: TemplateQuery = async () => [];

/** Prometheus' rule-template header (what expandRuleTemplate prepends): the variables the text may use. */
const header =
  '{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}{{$externalURL := .ExternalURL}}{{$value := .Value}}';

/** The problem in template `text` of rule `alertName`, with its 1-based line and column in the text; or undefined. */
export function templateProblem(
  text: string,
  alertName: string,
): { message: string; line: number; column: number } | undefined {
  const funcs = prometheusFuncs({ query: noQuery, timeMs: 0, externalURL: '' });
  const err = checkTemplate(header + text, funcs, `__alert_${alertName}`);
  if (err === undefined) return undefined;
  // The header shares the text's first line; TemplateError columns are 0-based.
  const column = (err.line === 1 ? err.column - header.length : err.column) + 1;
  return { message: err.message, line: err.line, column: Math.max(1, column) };
}
