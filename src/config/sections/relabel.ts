/**
 * Prometheus' `relabel_config` (`model/relabel`): decoded with Prometheus' defaults and checked with its
 * per-action rules, so relabeling can be compiled once and never fail at evaluation.
 */
import {
  type CheckTarget,
  int,
  labelName,
  labelNamePattern,
  list,
  type ObjectValue,
  object,
  optional,
  regex,
  type Schema,
  scalar,
  str,
  transformed,
} from '../schema.ts';

/** Every relabel action, as Prometheus spells them (the YAML may use any case). */
export const relabelActions = [
  'replace',
  'keep',
  'drop',
  'keepequal',
  'dropequal',
  'hashmod',
  'labelmap',
  'labeldrop',
  'labelkeep',
  'lowercase',
  'uppercase',
] as const;
export type RelabelAction = (typeof relabelActions)[number];

const action = scalar<RelabelAction>('a relabel action', (text) => {
  const a = text.toLowerCase();
  return (relabelActions as readonly string[]).includes(a)
    ? (a as RelabelAction)
    : { error: `unknown relabel action ${JSON.stringify(text)}` };
});

/**
 * Prometheus' defaults for the keys a rule leaves out (`source_labels` defaults to none). `regex` is unanchored
 * text, matched as `^(?:…)$`.
 */
export const relabelDefaults = {
  separator: ';',
  regex: '(.*)',
  modulus: 0,
  target_label: '',
  replacement: '$1',
  action: 'replace' as RelabelAction,
} as const;

const relabelFields = {
  source_labels: optional(list(labelName())),
  separator: optional(str()),
  regex: optional(regex()),
  modulus: optional(int({ min: 0 })),
  target_label: optional(str()),
  replacement: optional(str()),
  action: optional(action),
};
type RelabelInput = ObjectValue<typeof relabelFields>;

/** A relabel rule with every default filled in. `modulus` 0 means unset (only `hashmod` uses it). */
export type RelabelConfig = { readonly [K in keyof RelabelInput]-?: Exclude<RelabelInput[K], undefined> };

/** `target_label` for `replace` may interpolate `$1` / `${name}`; so may `replacement` for `labelmap`. */
const relabelTarget = /^(?:(?:[a-zA-Z_]|\$(?:\{\w+\}|\w+))+\w*)+$/;
const validName = (s: string) => labelNamePattern.test(s);

/** Returns Prometheus' first complaint about a rule (`Config.Validate`), pointing at the key it concerns. */
function problem(r: RelabelInput): { at: CheckTarget; message: string } | undefined {
  const act = r.action ?? relabelDefaults.action;
  const target = r.target_label ?? '';
  const replacement = r.replacement ?? relabelDefaults.replacement;
  const separator = r.separator ?? relabelDefaults.separator;
  const modulus = r.modulus ?? 0;
  const badTarget = {
    at: 'target_label',
    message: `${JSON.stringify(target)} is invalid 'target_label' for ${act} action`,
  };
  const equalOrCase = act === 'lowercase' || act === 'uppercase' || act === 'keepequal' || act === 'dropequal';

  if (act === 'hashmod' && modulus === 0) {
    return { at: 'modulus', message: 'relabel configuration for hashmod requires non-zero modulus' };
  }
  if ((act === 'replace' || act === 'hashmod' || equalOrCase) && target === '') {
    return { at: null, message: `relabel configuration for ${act} action requires 'target_label' value` };
  }
  if (act === 'replace' && !(target.includes('$') ? relabelTarget.test(target) : validName(target))) return badTarget;
  if (equalOrCase && !validName(target)) return badTarget;
  if (equalOrCase && replacement !== relabelDefaults.replacement) {
    return { at: 'replacement', message: `'replacement' can not be set for ${act} action` };
  }
  if (act === 'labelmap' && !relabelTarget.test(replacement)) {
    return { at: 'replacement', message: `${JSON.stringify(replacement)} is invalid 'replacement' for ${act} action` };
  }
  if (act === 'hashmod' && !validName(target)) return badTarget;
  if (act === 'keepequal' || act === 'dropequal') {
    const extra = [
      r.regex !== undefined && 'regex',
      modulus !== 0 && 'modulus',
      separator !== relabelDefaults.separator && 'separator',
    ].find((k) => k !== false);
    if (extra) {
      return {
        at: extra,
        message: `${act} action requires only 'source_labels' and \`target_label\`, and no other fields`,
      };
    }
  }
  if (act === 'labeldrop' || act === 'labelkeep') {
    const extra = [
      r.source_labels !== undefined && 'source_labels',
      target !== '' && 'target_label',
      modulus !== 0 && 'modulus',
      separator !== relabelDefaults.separator && 'separator',
      replacement !== relabelDefaults.replacement && 'replacement',
    ].find((k) => k !== false);
    if (extra) return { at: extra, message: `${act} action requires only 'regex', and no other fields` };
  }
  return undefined;
}

/**
 * One relabel rule. Decodes with Prometheus' defaults (action `replace`, separator `;`, regex `(.*)`,
 * replacement `$1`); an action name is accepted in any case and decoded lower-case.
 */
export const relabelConfig: Schema<RelabelConfig> = transformed(
  object(relabelFields, {
    check(r, report) {
      const p = problem(r);
      if (p) report(p.at, p.message);
    },
  }),
  (r): RelabelConfig => ({
    source_labels: r.source_labels ?? [],
    separator: r.separator ?? relabelDefaults.separator,
    regex: r.regex ?? relabelDefaults.regex,
    modulus: r.modulus ?? relabelDefaults.modulus,
    target_label: r.target_label ?? relabelDefaults.target_label,
    replacement: r.replacement ?? relabelDefaults.replacement,
    action: r.action ?? relabelDefaults.action,
  }),
);

/** A list of relabel rules, applied in order. */
export const relabelConfigs: Schema<RelabelConfig[]> = list(relabelConfig);
