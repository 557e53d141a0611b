/** Prometheus' expansion of alerting-rule label and annotation templates. */
import { TemplateError } from './errors.ts';
import { executeTemplate, type FuncMap, TemplateSet } from './template-set.ts';

/** The variables Prometheus defines before a rule template's text, on the same line (so columns shift). */
const header =
  '{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}{{$externalURL := .ExternalURL}}{{$value := .Value}}';

/** What a rule template sees as `.` (and through the header's variables). */
export interface RuleTemplateData {
  labels: Record<string, string>;
  externalLabels: Record<string, string>;
  externalURL: string;
  /** The alert's sample value (float64). */
  value: number;
}

/**
 * Expands an alerting rule's label or annotation template as Prometheus does: the header defining `$labels`,
 * `$externalLabels`, `$externalURL` and `$value` is prepended, and the text runs with `.` =
 * `{Labels, ExternalLabels, ExternalURL, Value}` and `funcs` (normally prometheusFuncs). Never rejects: on failure
 * it resolves to Prometheus' text `<error expanding template: error parsing|executing template NAME: …>` and
 * passes the TemplateError to `onError`. `name` is the template name Prometheus uses, `__alert_` + the rule name.
 */
export async function expandRuleTemplate(
  text: string,
  data: RuleTemplateData,
  funcs: FuncMap,
  name: string,
  onError?: (e: TemplateError) => void,
): Promise<string> {
  const dot = {
    Labels: data.labels,
    ExternalLabels: data.externalLabels,
    ExternalURL: data.externalURL,
    Value: data.value,
  };
  let step = 'parsing';
  try {
    const set = new TemplateSet(funcs).parse(name, header + text);
    step = 'executing';
    return await set.execute(name, dot);
  } catch (err) {
    const e =
      err instanceof TemplateError
        ? err
        : new TemplateError(
            'TEMPLATE_EXEC',
            name,
            0,
            0,
            `template: ${name}: ${String((err as Error)?.message ?? err)}`,
            { cause: err },
          );
    onError?.(e);
    return `<error expanding template: error ${step} template ${name}: ${e.message}>`;
  }
}

/**
 * A rule template parsed once (with Prometheus' header) and expanded many times — per alert, per evaluation —
 * with the same semantics and error texts as {@link expandRuleTemplate}. The function map is fixed at
 * construction; functions that depend on the evaluation (such as `query`'s time) read it when called.
 */
export class RuleTemplate {
  readonly #name: string;
  readonly #set: TemplateSet | undefined;
  readonly #parseError: TemplateError | undefined;

  constructor(text: string, funcs: FuncMap, name: string) {
    this.#name = name;
    let set: TemplateSet | undefined;
    let parseError: TemplateError | undefined;
    try {
      set = new TemplateSet(funcs).parse(name, header + text);
    } catch (err) {
      parseError = asTemplateError(err, name);
    }
    this.#set = set;
    this.#parseError = parseError;
  }

  /** Expands for one alert; never rejects (see {@link expandRuleTemplate}). */
  async expand(data: RuleTemplateData, onError?: (e: TemplateError) => void): Promise<string> {
    const name = this.#name;
    if (this.#set === undefined) {
      const e = this.#parseError as TemplateError;
      onError?.(e);
      return `<error expanding template: error parsing template ${name}: ${e.message}>`;
    }
    try {
      const out = executeTemplate(this.#set, name, {
        Labels: data.labels,
        ExternalLabels: data.externalLabels,
        ExternalURL: data.externalURL,
        Value: data.value,
      });
      return typeof out === 'string' ? out : await out;
    } catch (err) {
      const e = asTemplateError(err, name);
      onError?.(e);
      return `<error expanding template: error executing template ${name}: ${e.message}>`;
    }
  }
}

function asTemplateError(err: unknown, name: string): TemplateError {
  return err instanceof TemplateError
    ? err
    : new TemplateError('TEMPLATE_EXEC', name, 0, 0, `template: ${name}: ${String((err as Error)?.message ?? err)}`, {
        cause: err,
      });
}

/**
 * Whether an alerting rule's template parses the way Prometheus parses it (`promtool check rules`): with the
 * header, so `$labels`, `$externalLabels`, `$externalURL` and `$value` are defined. Returns undefined or the parse
 * TemplateError; its `line` and `column` point into `text` itself (the header is not counted).
 */
export function checkRuleTemplate(text: string, funcs: FuncMap, name: string): TemplateError | undefined {
  try {
    new TemplateSet(funcs).parse(name, header + text);
    return undefined;
  } catch (err) {
    if (!(err instanceof TemplateError)) throw err;
    const column = err.line === 1 ? Math.max(err.column - header.length, 0) : err.column;
    return new TemplateError(err.code, err.template, err.line, column, err.message, { cause: err });
  }
}
