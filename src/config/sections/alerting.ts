/**
 * Alerting config in both formats: Prometheus' `alerting` (where to send alerts) and Alertmanager's `route`,
 * `receivers`, `inhibit_rules`, `templates` and time intervals (what to do with them). vigil.yml nests all of
 * them under `alerting`; an alertmanager.yml has the Alertmanager keys at the top level. The root composes
 * {@link alertingFields} or {@link alertmanagerFields} and calls {@link checkAlertmanager} from its `check`.
 *
 * Receivers support `slack_configs`, `webhook_configs` and `email_configs`; other `*_configs` are unknown keys.
 */
import {
  bool,
  type CheckTarget,
  duration,
  hostPort,
  INVALID,
  int,
  labelName,
  labelNamePattern,
  list,
  type ObjectValue,
  object,
  oneOf,
  optional,
  record,
  refine,
  regex,
  required,
  type Schema,
  scalar,
  secretField,
  str,
  transformed,
  withDefault,
} from '../schema.ts';
import type { GlobalConfig } from './global.ts';
import { checkHttpClient, httpClientConfig, httpClientFields, secretUrlField, tlsConfig } from './http-client.ts';
import { relabelConfigs } from './relabel.ts';
import { checkStaticTargets, fileSdConfig, staticConfig } from './scrape.ts';

type Report = (target: CheckTarget, message: string) => void;
type Path = ReadonlyArray<string | number>;
type Decoded<S> = S extends Schema<infer T> ? T : never;

function emptyMap<T>(): () => Record<string, T> {
  return () => ({});
}
const q = (s: string) => JSON.stringify(s);

// ---- Prometheus: alerting.alertmanagers ----

const apiVersion = scalar<'v2'>('an Alertmanager API version', (text) =>
  text === 'v2' ? 'v2' : { error: `expected Alertmanager api version to be one of [v2] but got ${text}` },
);

/**
 * One `alertmanagers` entry: how Prometheus finds and calls an Alertmanager. Defaults: scheme http,
 * path_prefix `/`, timeout 10s, api_version v2, plus the HTTP client defaults.
 */
export const alertmanagerTarget = object(
  {
    static_configs: withDefault(list(staticConfig), () => []),
    file_sd_configs: withDefault(list(fileSdConfig), () => []),
    scheme: withDefault(oneOf(['http', 'https']), 'http'),
    path_prefix: withDefault(str(), '/'),
    timeout: withDefault(duration(), 10_000),
    api_version: withDefault(apiVersion, 'v2'),
    relabel_configs: withDefault(relabelConfigs, () => []),
    alert_relabel_configs: withDefault(relabelConfigs, () => []),
    ...httpClientFields,
  },
  {
    check(c, report) {
      checkHttpClient(c, report);
      if (c.relabel_configs.length === 0) checkStaticTargets(c.static_configs, report);
    },
  },
);
export type AlertmanagerTarget = Decoded<typeof alertmanagerTarget>;

/** Prometheus' `alerting` keys: Alertmanagers to notify, and relabeling applied to every alert first. */
export const prometheusAlertingFields = {
  alertmanagers: withDefault(list(alertmanagerTarget), () => []),
  alert_relabel_configs: withDefault(relabelConfigs, () => []),
};

// ---- Alertmanager: matchers ----

/** Matcher operators: equal, not equal, regex match, regex non-match. */
export type MatchType = '=' | '!=' | '=~' | '!~';
const matchTypes: readonly MatchType[] = ['=', '!=', '=~', '!~'];

/** A label matcher. For `=~`/`!~`, `value` is an unanchored RE2 regex, matched as `^(?:value)$`. */
export type Matcher = { readonly name: string; readonly type: MatchType; readonly value: string };

const matcherPattern = /^\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(=~|=|!=|!~)\s*([\s\S]*?)\s*$/;

function regexProblem(source: string): string | undefined {
  try {
    new RegExp(`^(?:${source.replace(/\(\?P</g, '(?<')})$`, 'u');
    return undefined;
  } catch (err) {
    return `invalid regular expression ${q(source)}: ${(err as Error).message}`;
  }
}

function parseMatcher(token: string): Matcher | { error: string } {
  const m = matcherPattern.exec(token);
  if (m === null) return { error: `bad matcher format: ${token}` };
  const [, name = '', type = '=', raw = ''] = m;
  const quoted = raw.startsWith('"');
  const chars = [...(quoted ? raw.slice(1) : raw)];
  const unescaped = `matcher value contains unescaped double quote: ${raw}`;
  let value = '';
  let closed = !quoted;
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i] as string;
    const last = i === chars.length - 1;
    if (c === '\\' && !last) {
      const next = chars[++i] as string;
      value += next === 'n' ? '\n' : next === '"' || next === '\\' ? next : `\\${next}`;
    } else if (c === '"') {
      if (closed || !last) return { error: unescaped };
      closed = true;
    } else {
      value += c;
    }
  }
  if (!closed) return { error: unescaped };
  const problem = type === '=~' || type === '!~' ? regexProblem(value) : undefined;
  return problem === undefined ? { name, type: type as MatchType, value } : { error: problem };
}

/**
 * Parses Alertmanager's matcher syntax: one or more comma-separated `name op value` (op one of `= != =~ !~`),
 * optionally wrapped in `{…}`; a value may be double-quoted with `\"`, `\n`, `\\` escapes. Returns the
 * matchers in input order, or the first error in Alertmanager's wording.
 */
export function parseMatchers(input: string): Matcher[] | { error: string } {
  const s = input.replace(/^\{/, '').replace(/\}$/, '');
  const tokens: string[] = [];
  let token = '';
  let inQuotes = false;
  let escaped = false;
  for (const c of s) {
    if (c === ',' && !inQuotes) {
      tokens.push(token);
      token = '';
      continue;
    }
    if (c === '"') {
      if (escaped) escaped = false;
      else inQuotes = !inQuotes;
    } else if (c === '\\') {
      escaped = !escaped;
    } else if (c !== ',') {
      escaped = false;
    }
    token += c;
  }
  if (token.trim() !== '') tokens.push(token.trim());
  const out: Matcher[] = [];
  for (const t of tokens) {
    const m = parseMatcher(t);
    if ('error' in m) return m;
    out.push(m);
  }
  return out;
}

/** Alertmanager's matcher order: by name, then value, then type (`=`, `!=`, `=~`, `!~`). */
export function compareMatchers(a: Matcher, b: Matcher): number {
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  if (a.value !== b.value) return a.value < b.value ? -1 : 1;
  return matchTypes.indexOf(a.type) - matchTypes.indexOf(b.type);
}

/** Prints a matcher as `name="value"` (or `!=`, `=~`, `!~`), the form Alertmanager prints. */
export function formatMatcher(m: Matcher): string {
  return `${m.name}${m.type}${q(m.value)}`;
}

const matcherLine = scalar<Matcher[]>('a matcher like severity="critical"', (text) => parseMatchers(text));
const matcherLines = list(matcherLine);

/** A `matchers` list of matcher strings, decoded to one sorted list of matchers (an item may hold several). */
export const matchers: Schema<Matcher[]> = {
  expected: matcherLines.expected,
  decode(node, ctx, path) {
    const lines = matcherLines.decode(node, ctx, path);
    return lines === INVALID ? INVALID : lines.flat().sort(compareMatchers);
  },
  encode: (ms) => ms.map(formatMatcher),
};

// ---- Alertmanager: time intervals ----

/** An inclusive range of weekdays (0 = Sunday), days of month (negative = from the end), months or years. */
export type InclusiveRange = { readonly begin: number; readonly end: number };

const weekdayNames = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
/** Index = month number; index 0 is unused. */
const monthNames = [
  '',
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

function atoi(s: string): number | { error: string } {
  return /^[+-]?\d+$/.test(s) ? Number(s) : { error: `strconv.Atoi: parsing ${q(s)}: invalid syntax` };
}

/** Splits `a` or `a:b` (case-insensitively), maps both ends with `member`, then applies `check`. */
function rangeSchema(
  expected: string,
  member: (s: string) => number | { error: string },
  check: (r: InclusiveRange) => string | undefined,
  show: (n: number) => string = String,
): Schema<InclusiveRange> {
  return scalar<InclusiveRange>(
    expected,
    (raw) => {
      const text = raw.toLowerCase();
      const parts = text.split(':');
      if (parts.length > 2) return { error: `couldn't parse range ${text}, invalid format` };
      const begin = member(parts[0] as string);
      if (typeof begin !== 'number') return begin;
      const end = parts.length === 2 ? member(parts[1] as string) : begin;
      if (typeof end !== 'number') return end;
      const error = check({ begin, end });
      return error === undefined ? { begin, end } : { error };
    },
    (r) => (r.begin === r.end ? show(r.begin) : `${show(r.begin)}:${show(r.end)}`),
  );
}

const weekdayRange = rangeSchema(
  'a weekday range like monday:friday',
  (s) => (weekdayNames.includes(s) ? weekdayNames.indexOf(s) : { error: `${s} is not a valid weekday` }),
  (r) => (r.begin > r.end ? 'start day cannot be before end day' : undefined),
  (n) => weekdayNames[n] as string,
);

const dayOfMonthRange = rangeSchema('a day-of-month range like 1:5 or -1', atoi, (r) => {
  for (const d of [r.begin, r.end]) {
    if (d === 0 || d < -31 || d > 31) return `${d} is not a valid day of the month: out of range`;
  }
  if (r.begin < 0 && r.end > 0) return 'end day must be negative if start day is negative';
  const b = r.begin < 0 ? 28 + r.begin : r.begin;
  const e = r.end < 0 ? 28 + r.end : r.end;
  return b > e ? `end day ${r.end} is always before start day ${r.begin}` : undefined;
});

const monthRange = rangeSchema(
  'a month range like january:march',
  (s) => {
    const n = monthNames.includes(s) ? monthNames.indexOf(s) : Number(s);
    return s !== '' && Number.isInteger(n) && n >= 1 && n <= 12 ? n : { error: `${s} is not a valid month` };
  },
  (r) => (r.begin > r.end ? `end month ${monthNames[r.end]} is before start month ${monthNames[r.begin]}` : undefined),
  (n) => monthNames[n] as string,
);

const yearRange = rangeSchema('a year range like 2024:2026', atoi, (r) =>
  r.begin > r.end ? `end year ${r.end} is before start year ${r.begin}` : undefined,
);

/** `HH:MM` from 00:00 to 24:00, decoded to minutes since midnight. */
const clock = scalar<number>(
  'a time like 09:30',
  (text) => {
    if (!/^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$/.test(text)) {
      return { error: `couldn't parse timestamp ${text}, invalid format` };
    }
    return Number(text.slice(0, 2)) * 60 + Number(text.slice(3));
  },
  (m) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`,
);

const timeRange = object(
  { start_time: required(clock), end_time: required(clock) },
  {
    check(r, report) {
      if (r.start_time >= r.end_time) report(null, 'start time cannot be equal or greater than end time');
    },
  },
);

/** An IANA time zone name, `UTC` or `Local` (the host's zone). */
const location = scalar('a time zone like Europe/Berlin', (text) => {
  if (text === 'Local' || text === 'UTC') return text;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: text });
    return text;
  } catch {
    return { error: `unknown time zone ${text}` };
  }
});

/**
 * One time interval: each set key must match (an absent key matches everything; a present empty list
 * matches nothing). `times` are `{start_time, end_time}` in minutes since midnight, end exclusive; `location`
 * is the zone they are read in (@default UTC).
 */
export const timeIntervalSpec = object({
  times: optional(list(timeRange)),
  weekdays: optional(list(weekdayRange)),
  days_of_month: optional(list(dayOfMonthRange)),
  months: optional(list(monthRange)),
  years: optional(list(yearRange)),
  location: optional(location),
});
export type TimeIntervalSpec = Decoded<typeof timeIntervalSpec>;

/** A named `time_intervals` (or deprecated `mute_time_intervals`) entry; it is active when any spec matches. */
export const namedTimeInterval = object({
  name: required(str({ nonEmpty: true })),
  time_intervals: withDefault(list(timeIntervalSpec), () => []),
});
export type NamedTimeInterval = Decoded<typeof namedTimeInterval>;

// ---- Alertmanager: route ----

const routeOwnFields = {
  receiver: optional(str()),
  group_by: optional(list(str())),
  continue: withDefault(bool(), false),
  matchers: withDefault(matchers, () => []),
  match: withDefault(record(str(), labelName()), emptyMap<string>()),
  match_re: withDefault(record(regex(), labelName()), emptyMap<string>()),
  group_wait: optional(duration()),
  group_interval: optional(duration()),
  repeat_interval: optional(duration()),
  mute_time_intervals: withDefault(list(str()), () => []),
  active_time_intervals: withDefault(list(str()), () => []),
};

/**
 * A routing node as written. Unset `receiver`, `group_by` and the three intervals inherit from the parent:
 * see {@link resolveRoute}. `match` values are literal, `match_re` values unanchored regexes.
 */
export type Route = ObjectValue<typeof routeOwnFields> & { readonly routes: readonly Route[] };

function checkRoute(r: Route, report: Report): void {
  const groupBy = r.group_by ?? [];
  const seen = new Set<string>();
  groupBy.forEach((l, i) => {
    if (l === '...') return;
    if (!labelNamePattern.test(l)) report(['group_by', i], `invalid label name ${q(l)} in group_by list`);
    else if (seen.has(l)) report(['group_by', i], `duplicated label ${q(l)} in group_by`);
    seen.add(l);
  });
  if (groupBy.includes('...') && groupBy.some((l) => l !== '...')) {
    report('group_by', 'cannot have wildcard group_by (`...`) and other labels at the same time');
  }
  if (r.group_interval === 0) report('group_interval', 'group_interval cannot be zero');
  if (r.repeat_interval === 0) report('repeat_interval', 'repeat_interval cannot be zero');
}

const routeRef: Schema<Route> = {
  expected: 'a mapping',
  decode: (node, ctx, path) => route.decode(node, ctx, path),
  encode: (value) => route.encode(value),
};

/** A routing tree node with its children (`routes`, in order). */
export const route: Schema<Route> = object(
  { ...routeOwnFields, routes: withDefault(list(routeRef), () => []) },
  { check: checkRoute },
);

/** A route with inherited options filled in and every kind of matcher merged. Durations in milliseconds. */
export type ResolvedRoute = {
  readonly receiver: string;
  /** Label names to group by; empty with `group_by_all` false means one group for the route. */
  readonly group_by: readonly string[];
  /** `group_by: ['...']`: group by every label. */
  readonly group_by_all: boolean;
  readonly group_wait: number;
  readonly group_interval: number;
  readonly repeat_interval: number;
  /** `match`, `match_re` and `matchers` together, sorted with {@link compareMatchers}. */
  readonly matchers: readonly Matcher[];
  readonly continue: boolean;
  /** Not inherited: a child sets its own. */
  readonly mute_time_intervals: readonly string[];
  readonly active_time_intervals: readonly string[];
  readonly routes: readonly ResolvedRoute[];
};

/** Alertmanager's root defaults: group_wait 30s, group_interval 5m, repeat_interval 4h, no grouping. */
export const routeDefaults = { group_wait: 30_000, group_interval: 5 * 60_000, repeat_interval: 4 * 3_600_000 };

/**
 * Resolves a routing tree as Alertmanager does: a child starts from its parent's receiver, grouping and
 * intervals and overrides what it sets; the root starts from {@link routeDefaults}. Pure; no validation.
 */
export function resolveRoute(r: Route, parent?: ResolvedRoute): ResolvedRoute {
  // As in Alertmanager, only a group_by naming labels replaces the parent's; `['...']` switches to all
  // labels; an absent or empty group_by inherits.
  const labels = (r.group_by ?? []).filter((l) => l !== '...');
  const all = r.group_by?.includes('...') ?? false;
  const own: Matcher[] = [
    ...Object.entries(r.match).map(([name, value]) => ({ name, type: '=' as const, value })),
    ...Object.entries(r.match_re).map(([name, value]) => ({ name, type: '=~' as const, value })),
    ...r.matchers,
  ];
  const node: Omit<ResolvedRoute, 'routes'> = {
    receiver: r.receiver || parent?.receiver || '',
    group_by: labels.length > 0 ? labels : (parent?.group_by ?? []),
    group_by_all: labels.length > 0 ? false : all || (parent?.group_by_all ?? false),
    group_wait: r.group_wait ?? parent?.group_wait ?? routeDefaults.group_wait,
    group_interval: r.group_interval ?? parent?.group_interval ?? routeDefaults.group_interval,
    repeat_interval: r.repeat_interval ?? parent?.repeat_interval ?? routeDefaults.repeat_interval,
    matchers: own.sort(compareMatchers),
    continue: r.continue,
    mute_time_intervals: r.mute_time_intervals,
    active_time_intervals: r.active_time_intervals,
  };
  const self: ResolvedRoute = { ...node, routes: [] };
  return { ...node, routes: r.routes.map((child) => resolveRoute(child, self)) };
}

// ---- Alertmanager: receivers ----

const tpl = (name: string) => `{{ template "${name}" . }}`;

const slackField = object({
  title: required(str({ nonEmpty: true })),
  value: required(str({ nonEmpty: true })),
  short: optional(bool()),
});

const slackAction = object(
  {
    type: required(str({ nonEmpty: true })),
    text: required(str({ nonEmpty: true })),
    url: optional(str()),
    style: optional(str()),
    name: optional(str()),
    value: optional(str()),
    confirm: optional(
      object({
        text: required(str({ nonEmpty: true })),
        title: optional(str()),
        ok_text: optional(str()),
        dismiss_text: optional(str()),
      }),
    ),
  },
  {
    check(a, report) {
      if (!a.url && !a.name) report(null, 'missing name or url in Slack action configuration');
    },
  },
);

/**
 * A `slack_configs` entry. Text fields default to Alertmanager's templates (`slack.default.*`); `api_url`
 * unset means `global.slack_api_url`, `http_config` unset means `global.http_config`. An action with `url`
 * is a link button (its name/value/confirm are ignored). `mrkdwn_in` unset means fallback, pretext, text.
 */
export const slackConfig = object({
  send_resolved: withDefault(bool(), false),
  http_config: optional(httpClientConfig),
  api_url: secretUrlField('api_url_file'),
  channel: optional(str()),
  username: withDefault(str(), tpl('slack.default.username')),
  color: withDefault(str(), '{{ if eq .Status "firing" }}danger{{ else }}good{{ end }}'),
  title: withDefault(str(), tpl('slack.default.title')),
  title_link: withDefault(str(), tpl('slack.default.titlelink')),
  pretext: withDefault(str(), tpl('slack.default.pretext')),
  text: withDefault(str(), tpl('slack.default.text')),
  fallback: withDefault(str(), tpl('slack.default.fallback')),
  callback_id: withDefault(str(), tpl('slack.default.callbackid')),
  footer: withDefault(str(), tpl('slack.default.footer')),
  icon_emoji: withDefault(str(), tpl('slack.default.iconemoji')),
  icon_url: withDefault(str(), tpl('slack.default.iconurl')),
  image_url: optional(str()),
  thumb_url: optional(str()),
  link_names: withDefault(bool(), false),
  short_fields: withDefault(bool(), false),
  mrkdwn_in: optional(list(str())),
  fields: withDefault(list(slackField), () => []),
  actions: withDefault(list(slackAction), () => []),
});
export type SlackConfig = Decoded<typeof slackConfig>;

/**
 * A `webhook_configs` entry: `url` (or `url_file`) is required. `max_alerts` 0 sends all; `timeout` 0 means
 * none. `http_config` unset means `global.http_config`.
 */
export const webhookConfig = object(
  {
    send_resolved: withDefault(bool(), true),
    http_config: optional(httpClientConfig),
    url: secretUrlField('url_file'),
    max_alerts: withDefault(int({ min: 0 }), 0),
    timeout: withDefault(duration(), 0),
  },
  {
    check(c, report) {
      if (c.url === undefined) report(null, 'one of url or url_file must be configured');
    },
  },
);
export type WebhookConfig = Decoded<typeof webhookConfig>;

const canonicalHeader = (h: string) =>
  /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(h)
    ? h
        .split('-')
        .map((p) => p.charAt(0).toUpperCase() + p.slice(1).toLowerCase())
        .join('-')
    : h;

/** Email headers, keys canonicalized (`x-team` → `X-Team`); two keys that canonicalize alike are an error. */
const emailHeaders = transformed(
  refine(record(str()), (h) => {
    const seen = new Set<string>();
    for (const k of Object.keys(h).map(canonicalHeader)) {
      if (seen.has(k)) return `duplicate header ${q(k)} in email config`;
      seen.add(k);
    }
    return undefined;
  }),
  (h) => Object.fromEntries(Object.entries(h).map(([k, v]) => [canonicalHeader(k), v])),
);

/**
 * An `email_configs` entry. Unset `from`, `smarthost`, `hello`, `auth_*`, `require_tls` and `tls_config` mean
 * the `global.smtp_*` value; `html` defaults to Alertmanager's `email.default.html` template.
 */
export const emailConfig = object({
  send_resolved: withDefault(bool(), false),
  to: required(str({ nonEmpty: true })),
  from: optional(str()),
  smarthost: optional(hostPort()),
  hello: optional(str()),
  auth_username: optional(str()),
  auth_password: secretField('auth_password_file'),
  auth_secret: secretField('auth_secret_file'),
  auth_identity: optional(str()),
  require_tls: optional(bool()),
  tls_config: optional(tlsConfig),
  headers: withDefault(emailHeaders, emptyMap<string>()),
  html: withDefault(str(), tpl('email.default.html')),
  text: optional(str()),
});
export type EmailConfig = Decoded<typeof emailConfig>;

/** A named receiver; each `*_configs` entry is an independent integration. */
export const receiver = object({
  name: required(str({ nonEmpty: true })),
  slack_configs: withDefault(list(slackConfig), () => []),
  webhook_configs: withDefault(list(webhookConfig), () => []),
  email_configs: withDefault(list(emailConfig), () => []),
});
export type Receiver = Decoded<typeof receiver>;

// ---- Alertmanager: inhibit rules ----

/**
 * An inhibition rule: while an alert matching the source side fires, alerts matching the target side with
 * the same values for every `equal` label are muted. `*_match` / `*_match_re` are the deprecated forms.
 */
export const inhibitRule = object(
  {
    source_matchers: withDefault(matchers, () => []),
    target_matchers: withDefault(matchers, () => []),
    source_match: withDefault(record(str(), labelName()), emptyMap<string>()),
    source_match_re: withDefault(record(regex(), labelName()), emptyMap<string>()),
    target_match: withDefault(record(str(), labelName()), emptyMap<string>()),
    target_match_re: withDefault(record(regex(), labelName()), emptyMap<string>()),
    equal: withDefault(list(str()), () => []),
  },
  {
    check(r, report) {
      r.equal.forEach((l, i) => {
        if (!labelNamePattern.test(l)) report(['equal', i], `invalid label name ${q(l)} in equal list`);
      });
    },
  },
);
export type InhibitRule = Decoded<typeof inhibitRule>;

// ---- Sections and cross-checks ----

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
