/**
 * The alerting section as a whole: Alertmanager's top-level keys, vigil.yml's `alerting` mapping, and
 * {@link checkAlertmanager}, the whole-config rules the root object runs from its `check`.
 */
import { list, type ObjectValue, object, optional, type Path, type Report, str, withDefault } from '../../schema.ts';
import type { GlobalConfig } from '../global.ts';
import { inhibitRule } from './inhibit.ts';
import { prometheusAlertingFields } from './prometheus.ts';
import { receiver } from './receivers.ts';
import { type Route, route } from './route.ts';
import { q } from './shared.ts';
import { namedTimeInterval } from './time-intervals.ts';

/** Alertmanager's top-level keys (besides `global`). `route` is optional here: see {@link checkAlertmanager}. */
export const alertmanagerFields = {
  route: optional(route),
  receivers: withDefault(list(receiver), () => []),
  inhibit_rules: withDefault(list(inhibitRule), () => []),
  templates: withDefault(list(str()), () => []),
  time_intervals: withDefault(list(namedTimeInterval), () => []),
  mute_time_intervals: withDefault(list(namedTimeInterval), () => []),
};
export type AlertmanagerConfig = ObjectValue<typeof alertmanagerFields>;

/** vigil.yml's `alerting` section: Prometheus' and Alertmanager's keys side by side. */
export const alertingFields = { ...prometheusAlertingFields, ...alertmanagerFields };
export type AlertingConfig = ObjectValue<typeof alertingFields>;

/** The `alerting` mapping; the root still calls {@link checkAlertmanager} on it, which needs `global`. */
export const alertingSection = object(alertingFields);

/** The `global` keys the Alertmanager checks read. */
export type AlertmanagerDefaults = Pick<GlobalConfig, 'smtp_smarthost' | 'smtp_from' | 'slack_api_url'>;

/**
 * Alertmanager's whole-config rules, for the root object's `check`: receiver names unique; email and Slack
 * settings present here or in `global`; the root route has a receiver and no matchers, `continue` or time
 * intervals; every receiver and time interval a route names exists; time interval names unique. `at` is where
 * these keys sit in the checked object (`['alerting']` in vigil.yml, `[]` for an alertmanager.yml). A
 * missing `route` is reported when `requireRoute` is set or any receiver is defined.
 */
export function checkAlertmanager(
  am: AlertmanagerConfig,
  global: AlertmanagerDefaults,
  report: Report,
  options: { at?: Path; requireRoute?: boolean } = {},
): void {
  const at = options.at ?? [];
  const r = (parts: Path, message: string) => report([...at, ...parts], message);

  const names = new Set<string>();
  am.receivers.forEach((rcv, i) => {
    if (names.has(rcv.name)) r(['receivers', i, 'name'], `notification config name ${q(rcv.name)} is not unique`);
    names.add(rcv.name);
    rcv.email_configs.forEach((e, j) => {
      const p = ['receivers', i, 'email_configs', j];
      if (e.smarthost === undefined && global.smtp_smarthost === undefined) r(p, 'no global SMTP smarthost set');
      if (e.from === undefined && global.smtp_from === undefined) r(p, 'no global SMTP from set');
    });
    rcv.slack_configs.forEach((s, j) => {
      if (s.api_url === undefined && global.slack_api_url === undefined) {
        r(['receivers', i, 'slack_configs', j], 'no global Slack API URL set either inline or in a file');
      }
    });
  });

  const intervals = new Set<string>();
  for (const [key, what] of [
    ['mute_time_intervals', 'mute time interval'],
    ['time_intervals', 'time interval'],
  ] as const) {
    am[key].forEach((ti, i) => {
      if (intervals.has(ti.name)) r([key, i, 'name'], `${what} ${q(ti.name)} is not unique`);
      intervals.add(ti.name);
    });
  }

  const root = am.route;
  if (root === undefined) {
    if (options.requireRoute || am.receivers.length > 0) r(['route'], 'no route provided in config');
    return;
  }
  if (!root.receiver) r(['route', 'receiver'], 'root route must specify a default receiver');
  const matcherKey = (['match', 'match_re'] as const).find((k) => Object.keys(root[k]).length > 0);
  if (matcherKey || root.matchers.length > 0) {
    r(['route', matcherKey ?? 'matchers'], 'root route must not have any matchers');
  }
  if (root.mute_time_intervals.length > 0) {
    r(['route', 'mute_time_intervals'], 'root route must not have any mute time intervals');
  }
  if (root.active_time_intervals.length > 0) {
    r(['route', 'active_time_intervals'], 'root route must not have any active time intervals');
  }
  if (root.continue) r(['route', 'continue'], 'cannot have continue in root route');

  const walk = (node: Route, path: Path) => {
    if (node.receiver && !names.has(node.receiver)) {
      r([...path, 'receiver'], `undefined receiver ${q(node.receiver)} used in route`);
    }
    for (const key of ['mute_time_intervals', 'active_time_intervals'] as const) {
      node[key].forEach((name, k) => {
        if (!intervals.has(name)) r([...path, key, k], `undefined time interval ${q(name)} used in route`);
      });
    }
    node.routes.forEach((child, i) => {
      walk(child, [...path, 'routes', i]);
    });
  };
  walk(root, ['route']);
}
