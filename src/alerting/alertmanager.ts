/**
 * vigil's Alertmanager: the alert store, the dispatcher with its aggregation groups, inhibition, silences,
 * time intervals and the notification log, wired to the durable outbox — configured by Alertmanager's own
 * config (`route`, `receivers`, `inhibit_rules`, `templates`, `time_intervals`) and answering its API v2.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { AlertingConfig, GlobalConfig, Receiver, Route } from '../config/index.ts';
import type { Logger } from '../log/index.ts';
import type { Store } from '../store/index.ts';
import type { TemplateSet } from '../template/index.ts';
import { type Alert, newAlert, resolvedAt } from './alert.ts';
import { AlertStore } from './alert-store.ts';
import {
  ApiAnswer,
  badRequest,
  boolParam,
  compareSilences,
  filterMatchers,
  gettableSilence,
  isAnswer,
  ok,
  type PostableAlert,
  parseJson,
  postableAlerts,
  postableSilence,
  receiverFilter,
  silenceMatchesFilter,
  validateAlert,
} from './api.ts';
import { CommitBatcher } from './commit-batcher.ts';
import { compareAlerts, Dispatcher } from './dispatcher.ts';
import { SilenceNotFoundError, SilenceValidationError } from './errors.ts';
import { expandGlob } from './glob.ts';
import { goTime } from './go-time.ts';
import { Inhibitor } from './inhibit.ts';
import { type Integration, integrationsOf } from './integrations.ts';
import { matchAll } from './matchers.ts';
import { NotificationLog } from './nflog.ts';
import { type MessageSink, runPipeline } from './pipeline.ts';
import { buildRoutes, matchRoutes, type RouteNode } from './routes.ts';
import { Silences, silenceState } from './silences.ts';
import { vigilTemplates } from './templates.ts';
import { TimeIntervals } from './time-intervals.ts';

export interface AlertmanagerOptions {
  store: Store;
  /** Where notifications go (the notify module's Outbox). */
  sink: MessageSink;
  logger: Logger;
  registry: Registry;
  config: AlertingConfig;
  global: GlobalConfig;
  /** Directory that relative `templates` globs are read from. */
  configDir: string;
  /** vigil's URL as users reach it, for links in notifications. */
  externalURL: () => string;
  /** The `alerting` config as YAML with secrets hidden, for `/api/v2/status`. */
  configYaml: () => string;
  version: string;
  now?: () => number;
  /** How often empty groups and resolved alerts are dropped. @default 30 s (groups) and 30 min (alerts) */
  groupGcIntervalMs?: number;
  alertGcIntervalMs?: number;
}

interface Runtime {
  root: RouteNode;
  dispatcher: Dispatcher;
  inhibitor: Inhibitor;
  intervals: TimeIntervals;
  receivers: Map<string, readonly Integration[]>;
  receiverNames: string[];
  templates: TemplateSet;
}

/** The receiver used when the config has no `route`: notifications stay in the UI (or go to `global.slack_api_url`). */
export const defaultReceiver = 'vigil';

export class Alertmanager {
  private readonly now: () => number;
  private readonly alerts: AlertStore;
  readonly silences: Silences;
  private readonly nflog: NotificationLog;
  private readonly batcher: CommitBatcher;
  private runtime: Runtime;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly startedAt: number;
  private readonly metrics: {
    received: Counter;
    invalid: Counter;
    notifications: Counter;
    alerts: Gauge;
  };

  constructor(private readonly options: AlertmanagerOptions) {
    this.now = options.now ?? Date.now;
    this.startedAt = this.now();
    this.alerts = new AlertStore(this.now);
    this.silences = new Silences({ db: options.store.db, now: this.now });
    this.nflog = new NotificationLog(options.store.db, this.now);
    this.batcher = new CommitBatcher(options.store.db);
    const reg = [options.registry];
    const self = this;
    this.metrics = {
      received: new Counter({
        name: 'vigil_alerts_received_total',
        help: 'Alerts received (from rules and the API), by status.',
        labelNames: ['status'],
        registers: reg,
      }),
      invalid: new Counter({ name: 'vigil_alerts_invalid_total', help: 'Alerts refused as invalid.', registers: reg }),
      notifications: new Counter({
        name: 'vigil_alert_notifications_total',
        help: 'Notification decisions per receiver integration: notified (put in the outbox), deduplicated, failed.',
        labelNames: ['receiver', 'integration', 'outcome'],
        registers: reg,
      }),
      alerts: new Gauge({
        name: 'vigil_alerts',
        help: 'Alerts held, by state (active, suppressed).',
        labelNames: ['state'],
        registers: reg,
        collect() {
          let active = 0;
          let suppressed = 0;
          const now = self.now();
          for (const a of self.alerts.list()) {
            if (resolvedAt(a, now)) continue;
            if (self.isMuted(a)) suppressed++;
            else active++;
          }
          this.set({ state: 'active' }, active);
          this.set({ state: 'suppressed' }, suppressed);
        },
      }),
    };
    this.runtime = this.build(options.config, options.global);
  }

  start(): void {
    const every = (ms: number, fn: () => void) => {
      const t = setInterval(fn, ms);
      t.unref();
      this.timers.push(t);
    };
    every(this.options.groupGcIntervalMs ?? 30_000, () => {
      this.runtime.dispatcher.gc();
      this.nflog.gc();
      this.silences.gc();
    });
    every(this.options.alertGcIntervalMs ?? 30 * 60_000, () => {
      for (const a of this.alerts.gc()) this.runtime.inhibitor.forget(a);
    });
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.timers.length = 0;
    await this.runtime.dispatcher.stop();
  }

  /**
   * Applies a new config: routes, receivers, inhibition and templates are rebuilt (throws, keeping the old
   * ones, when templates do not parse), then every held alert is routed again, as Alertmanager does on reload.
   */
  async update(config: AlertingConfig, global: GlobalConfig): Promise<void> {
    const next = this.build(config, global);
    const old = this.runtime;
    this.runtime = next;
    await old.dispatcher.stop();
    for (const a of this.alerts.list()) {
      next.inhibitor.observe(a);
      next.dispatcher.process(a);
    }
  }

  private build(config: AlertingConfig, global: GlobalConfig): Runtime {
    const { route, receivers } = effectiveRouting(config, global);
    const root = buildRoutes(route);
    const byName = new Map<string, readonly Integration[]>();
    for (const r of receivers) byName.set(r.name, integrationsOf(r, global));
    const templates = vigilTemplates();
    for (const file of templateFiles(config.templates, this.options.configDir)) {
      templates.parse(file.name, file.text);
    }
    const inhibitor = new Inhibitor(config.inhibit_rules, this.now);
    const intervals = new TimeIntervals([...config.time_intervals, ...config.mute_time_intervals]);
    const runtime: Runtime = {
      root,
      inhibitor,
      intervals,
      receivers: byName,
      receiverNames: receivers.map((r) => r.name),
      templates,
      dispatcher: undefined as unknown as Dispatcher,
    };
    runtime.dispatcher = new Dispatcher(
      root,
      this.now,
      (group, batch) =>
        runPipeline(
          {
            commit: (write) => this.batcher.commit(write),
            nflog: this.nflog,
            sink: this.options.sink,
            inhibitor,
            silences: this.silences,
            intervals,
            receivers: byName,
            templates,
            externalURL: this.options.externalURL,
            now: this.now,
            logger: this.options.logger,
            count: (receiver, integration, outcome) =>
              this.metrics.notifications.inc({ receiver, integration, outcome }),
          },
          group,
          batch,
        ),
      (err) => this.options.logger.error('alert group flush failed', { err }),
    );
    return runtime;
  }

  /**
   * Takes alerts (from the rules or the API): applies Alertmanager's defaults (`startsAt` now, `endsAt`
   * now + `resolve_timeout` marked as a timeout), drops empty label values, validates, stores and routes
   * the valid ones. Returns the validation errors of the others.
   */
  put(posted: readonly PostableAlert[]): string[] {
    const now = this.now();
    const errors: string[] = [];
    const valid: Alert[] = [];
    let firing = 0;
    for (const p of posted) {
      const startsAt = p.startsAt !== 0 ? p.startsAt : p.endsAt !== 0 ? p.endsAt : now;
      const timeout = p.endsAt === 0;
      const endsAt = timeout ? now + this.options.global.resolve_timeout : p.endsAt;
      if (endsAt > now) firing++;
      const labels: Record<string, string> = {};
      for (const [k, v] of Object.entries(p.labels)) if (v !== '') labels[k] = v;
      const error = validateAlert({ ...p, labels, startsAt, endsAt });
      if (error !== undefined) {
        this.metrics.invalid.inc();
        errors.push(error);
        continue;
      }
      valid.push(
        newAlert({
          labels,
          annotations: p.annotations,
          startsAt,
          endsAt,
          generatorURL: p.generatorURL,
          updatedAt: now,
          timeout,
        }),
      );
    }
    this.metrics.received.inc({ status: 'firing' }, firing);
    this.metrics.received.inc({ status: 'resolved' }, posted.length - firing);
    const { dispatcher, inhibitor } = this.runtime;
    for (const a of this.alerts.put(valid)) {
      inhibitor.observe(a);
      dispatcher.process(a, now);
    }
    return errors;
  }

  private isMuted(a: Alert): boolean {
    return this.runtime.inhibitor.inhibitedBy(a.labels) !== undefined || this.silences.mutedBy(a.labels).length > 0;
  }

  private gettableAlert(a: Alert) {
    const silencedBy = this.silences.mutedBy(a.labels);
    const inhibitor = this.runtime.inhibitor.inhibitedBy(a.labels);
    const inhibitedBy = inhibitor === undefined ? [] : [inhibitor];
    const receivers = [...new Set(matchRoutes(this.runtime.root, a.labels).map((r) => r.receiver))];
    return {
      annotations: a.annotations,
      endsAt: goTime(a.endsAt),
      fingerprint: a.fingerprint,
      receivers: receivers.map((name) => ({ name })),
      startsAt: goTime(a.startsAt),
      status: {
        inhibitedBy,
        silencedBy,
        state: silencedBy.length > 0 || inhibitedBy.length > 0 ? 'suppressed' : 'active',
      },
      updatedAt: goTime(a.updatedAt),
      ...(a.generatorURL !== '' ? { generatorURL: a.generatorURL } : {}),
      labels: a.labels,
    };
  }

  // --- API v2 -------------------------------------------------------------------------------------------

  /** `POST /api/v2/alerts` with the body's text. */
  postAlerts(text: string): ApiAnswer {
    const body = parseJson(text, 'alerts');
    if (isAnswer(body)) return body;
    const posted = postableAlerts(body);
    if (isAnswer(posted)) return posted;
    const errors = this.put(posted);
    return errors.length > 0 ? badRequest(errors.join('; ')) : ok();
  }

  /** `GET /api/v2/alerts`. */
  getAlerts(params: URLSearchParams): ApiAnswer {
    const filter = this.alertFilter(params);
    if (isAnswer(filter)) return filter;
    const now = this.now();
    const out = [];
    for (const a of this.alerts.list()) {
      if (resolvedAt(a, now)) continue;
      const g = this.gettableAlert(a);
      if (filter(a, g)) out.push(g);
    }
    out.sort((x, y) => (x.fingerprint < y.fingerprint ? -1 : x.fingerprint > y.fingerprint ? 1 : 0));
    return ok(out);
  }

  /** `GET /api/v2/alerts/groups`. */
  getAlertGroups(params: URLSearchParams): ApiAnswer {
    const filter = this.alertFilter(params);
    if (isAnswer(filter)) return filter;
    const receiver = receiverFilter(params);
    if (isAnswer(receiver)) return receiver;
    const now = this.now();
    const groups = [];
    for (const g of this.runtime.dispatcher.allGroups()) {
      if (!receiver(g.route.receiver)) continue;
      const alerts = [...g.alerts.values()]
        .filter((a) => !resolvedAt(a, now))
        .sort(compareAlerts)
        .map((a) => ({ a, g: this.gettableAlert(a) }))
        .filter(({ a, g }) => filter(a, g))
        .map(({ g }) => g);
      if (alerts.length === 0) continue;
      groups.push({ alerts, labels: g.labels, receiver: { name: g.route.receiver } });
    }
    return ok(groups);
  }

  private alertFilter(
    params: URLSearchParams,
  ): ((a: Alert, g: ReturnType<Alertmanager['gettableAlert']>) => boolean) | ApiAnswer {
    const matchers = filterMatchers(params);
    if (isAnswer(matchers)) return matchers;
    const flags: Record<string, boolean> = {};
    for (const name of ['active', 'silenced', 'inhibited', 'unprocessed']) {
      const v = boolParam(params, name, true);
      if (isAnswer(v)) return v;
      flags[name] = v;
    }
    const receiver = receiverFilter(params);
    if (isAnswer(receiver)) return receiver;
    return (a, g) => {
      if (!g.receivers.some((r) => receiver(r.name))) return false;
      if (!matchAll(matchers, a.labels)) return false;
      const silenced = g.status.silencedBy.length > 0;
      const inhibited = g.status.inhibitedBy.length > 0;
      if (!flags.active && !silenced && !inhibited) return false;
      if (!flags.silenced && silenced) return false;
      if (!flags.inhibited && inhibited) return false;
      return true;
    };
  }

  /** `GET /api/v2/silences`. */
  getSilences(params: URLSearchParams): ApiAnswer {
    const filter = filterMatchers(params);
    if (isAnswer(filter)) return filter;
    const now = this.now();
    const list = this.silences
      .list()
      .filter((s) => silenceMatchesFilter(s, filter))
      .map((s) => ({ s, state: silenceState(s, now) }))
      .sort(compareSilences);
    return ok(list.map(({ s, state }) => gettableSilence(s, state)));
  }

  /** `POST /api/v2/silences`. */
  postSilence(text: string): ApiAnswer {
    const body = parseJson(text, 'silence');
    if (isAnswer(body)) return body;
    const input = postableSilence(body);
    if (isAnswer(input)) return input;
    if (input.startsAt >= input.endsAt)
      return badRequest('Failed to create silence: start time must be before end time');
    if (input.endsAt < this.now()) return badRequest("Failed to create silence: end time can't be in the past");
    try {
      return ok({ silenceID: this.silences.set(input) });
    } catch (err) {
      if (err instanceof SilenceNotFoundError) return new ApiAnswer(404, err.message);
      if (err instanceof SilenceValidationError) return badRequest(err.message);
      throw err;
    }
  }

  /** `GET /api/v2/silence/{id}`. */
  getSilence(id: string): ApiAnswer {
    const s = this.silences.get(id);
    return s === undefined ? new ApiAnswer(404, undefined) : ok(gettableSilence(s, silenceState(s, this.now())));
  }

  /** `DELETE /api/v2/silence/{id}`: expires it; an unknown id answers 500 as Alertmanager 0.25 does. */
  deleteSilence(id: string): ApiAnswer {
    try {
      this.silences.expire(id);
      return ok();
    } catch (err) {
      if (err instanceof SilenceNotFoundError) return new ApiAnswer(500, err.message);
      throw err;
    }
  }

  /** `GET /api/v2/status`. */
  getStatus(): ApiAnswer {
    return ok({
      cluster: { name: '', peers: [], status: 'disabled' },
      config: { original: this.options.configYaml() },
      uptime: goTime(this.startedAt),
      versionInfo: {
        branch: '',
        buildDate: '',
        buildUser: '',
        goVersion: process.version,
        revision: '',
        version: this.options.version,
      },
    });
  }

  /** `GET /api/v2/receivers`. */
  getReceivers(): ApiAnswer {
    return ok(this.runtime.receiverNames.map((name) => ({ name })));
  }

  /** Counts for the UI and health rules. */
  stats(): { alerts: number; groups: number; silences: number; nflog: number } {
    return {
      alerts: this.alerts.size,
      groups: this.runtime.dispatcher.allGroups().length,
      silences: this.silences.list().length,
      nflog: this.nflog.size,
    };
  }
}

/**
 * The route and receivers to run: the config's, or — when it has no `route` — one receiver named
 * {@link defaultReceiver} grouping by alert name, with a Slack integration when `global.slack_api_url` is set.
 */
export function effectiveRouting(
  config: AlertingConfig,
  global: GlobalConfig,
): { route: Route; receivers: readonly Receiver[] } {
  if (config.route !== undefined) return { route: config.route, receivers: config.receivers };
  const route: Route = {
    receiver: defaultReceiver,
    group_by: ['alertname'],
    group_wait: undefined,
    group_interval: undefined,
    repeat_interval: undefined,
    continue: false,
    matchers: [],
    match: {},
    match_re: {},
    mute_time_intervals: [],
    active_time_intervals: [],
    routes: [],
  };
  const slack = global.slack_api_url === undefined ? [] : [defaultSlackConfig()];
  return {
    route,
    receivers: [{ name: defaultReceiver, slack_configs: slack, webhook_configs: [], email_configs: [] }],
  };
}

function defaultSlackConfig(): Receiver['slack_configs'][number] {
  const tpl = (name: string) => `{{ template "${name}" . }}`;
  return {
    send_resolved: true,
    http_config: undefined,
    api_url: undefined,
    channel: undefined,
    image_url: undefined,
    thumb_url: undefined,
    mrkdwn_in: undefined,
    username: tpl('slack.default.username'),
    color: '{{ if eq .Status "firing" }}danger{{ else }}good{{ end }}',
    title: tpl('slack.default.title'),
    title_link: tpl('slack.default.titlelink'),
    pretext: tpl('slack.default.pretext'),
    text: tpl('slack.default.text'),
    fallback: tpl('slack.default.fallback'),
    callback_id: tpl('slack.default.callbackid'),
    footer: tpl('slack.default.footer'),
    icon_emoji: tpl('slack.default.iconemoji'),
    icon_url: tpl('slack.default.iconurl'),
    link_names: false,
    short_fields: false,
    fields: [],
    actions: [],
  };
}

/** Reads the files the `templates` globs name, relative to the config's directory. */
function templateFiles(globs: readonly string[], dir: string): { name: string; text: string }[] {
  const out: { name: string; text: string }[] = [];
  for (const g of globs) {
    const path = isAbsolute(g) ? g : join(dir, g);
    for (const file of expandGlob(path)) out.push({ name: file, text: readFileSync(file, 'utf8') });
  }
  return out;
}
