// Template expansion on the alerting path: a RuleTemplate (Prometheus' header, prometheusFuncs) expanded for
// 10,000 different label sets and values, and Alertmanager's default Slack title for 500 notifications of 20
// alerts (executing the named template, and rendering the configured field as the alerting module does). 5 rounds
// after two warm-up rounds; figures are the median and best round, in ms.
// `npm run bench -- template`
import { alertmanagerTemplates, prometheusFuncs, RuleTemplate } from '../src/template/index.ts';
import { notificationData } from '../src/template/testing.ts';
import { writeResults } from './results.ts';

const ALERTS = 10_000;
const NOTIFICATIONS = 500;
const PER_NOTIFICATION = 20;
const ROUNDS = 5;

const funcs = prometheusFuncs({ query: async () => [], timeMs: 0, externalURL: '' });
const inputs = Array.from({ length: ALERTS }, (_, i) => ({
  labels: { alertname: 'HighLoad', instance: `node-${i}:9100`, group: `g${i % 500}`, job: 'node' },
  externalLabels: {},
  externalURL: '',
  value: (i * 7.31) % 100,
}));

async function ruleRound(t: RuleTemplate): Promise<number> {
  const start = performance.now();
  for (const d of inputs) await t.expand(d);
  return performance.now() - start;
}

const notifications = Array.from(
  { length: NOTIFICATIONS },
  (_, n) =>
    notificationData(
      'team-x',
      { alertname: 'HighLoad', group: `g${n}` },
      Array.from({ length: PER_NOTIFICATION }, (_, i) => ({
        status: i % 5 === 0 ? ('resolved' as const) : ('firing' as const),
        labels: {
          alertname: 'HighLoad',
          group: `g${n}`,
          instance: `node-${n * PER_NOTIFICATION + i}:9100`,
          job: 'node',
        },
        annotations: { summary: 'load is high' },
      })),
      'http://am.example',
    ).data,
);
const slack = alertmanagerTemplates();
async function slackRound(): Promise<number> {
  const start = performance.now();
  for (const d of notifications) await slack.execute('slack.default.title', d);
  return performance.now() - start;
}

/** What the alerting module does per notification: render the configured field (Alertmanager's default). */
async function slackRenderRound(): Promise<number> {
  const start = performance.now();
  for (const d of notifications) await slack.render('{{ template "slack.default.title" . }}', d);
  return performance.now() - start;
}

async function measure(round: () => Promise<number>) {
  await round();
  await round();
  const times: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    globalThis.gc?.();
    times.push(await round());
  }
  times.sort((a, b) => a - b);
  const ms = (v: number) => Math.round(v * 10) / 10;
  return { medianMs: ms(times[Math.floor(ROUNDS / 2)] as number), bestMs: ms(times[0] as number) };
}

const simple = new RuleTemplate(
  '{{ $labels.instance }} of {{ $labels.group }} is at {{ $value | humanize }}',
  funcs,
  '__alert_X',
);
const branchy = new RuleTemplate(
  '{{ if gt $value 80.0 }}high{{ else }}ok{{ end }} {{ range $k, $v := $labels }}{{ $k }}={{ $v }} {{ end }}',
  funcs,
  '__alert_X',
);

writeResults('template', {
  ruleSimplePer10kAlerts: await measure(() => ruleRound(simple)),
  ruleIfRangePer10kAlerts: await measure(() => ruleRound(branchy)),
  slackTitlePer500Notifications: await measure(slackRound),
  slackTitleRenderPer500Notifications: await measure(slackRenderRound),
});
