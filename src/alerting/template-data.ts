/** The data Alertmanager's notification templates see (`.Receiver`, `.Status`, `.Alerts`, `.GroupLabels`, …). */
import { KV } from '../template/index.ts';
import { type Alert, type LabelSet, resolvedAt } from './alert.ts';
import { goTime } from './go-time.ts';

export interface TemplateAlert {
  readonly Status: 'firing' | 'resolved';
  readonly Labels: KV;
  readonly Annotations: KV;
  readonly StartsAt: Date;
  readonly EndsAt: Date;
  readonly GeneratorURL: string;
  readonly Fingerprint: string;
}

/** `.Alerts`: the alerts, with `.Firing` and `.Resolved` as Alertmanager's methods of that name. */
export type TemplateAlerts = TemplateAlert[] & { Firing(): TemplateAlert[]; Resolved(): TemplateAlert[] };

export interface TemplateData {
  readonly Receiver: string;
  readonly Status: 'firing' | 'resolved';
  readonly Alerts: TemplateAlerts;
  readonly GroupLabels: KV;
  readonly CommonLabels: KV;
  readonly CommonAnnotations: KV;
  readonly ExternalURL: string;
}

/** Go's zero time, which Alertmanager sends as the end of an alert that has not ended. */
export const zeroTime = new Date(Date.UTC(1, 0, 1));
zeroTime.setUTCFullYear(1);

export function alertStatus(a: Alert, now: number): 'firing' | 'resolved' {
  return resolvedAt(a, now) ? 'resolved' : 'firing';
}

/** Builds the template data of a notification of `alerts` (already filtered to what is sent). */
export function templateData(
  receiver: string,
  groupLabels: LabelSet,
  alerts: readonly Alert[],
  externalURL: string,
  now: number,
): TemplateData {
  const list = alerts.map(
    (a): TemplateAlert => ({
      Status: alertStatus(a, now),
      Labels: new KV(a.labels),
      Annotations: new KV(a.annotations),
      StartsAt: new Date(a.startsAt),
      EndsAt: a.endsAt === 0 ? zeroTime : new Date(a.endsAt),
      GeneratorURL: a.generatorURL,
      Fingerprint: a.fingerprint,
    }),
  ) as TemplateAlerts;
  const firing = list.filter((a) => a.Status === 'firing');
  const resolved = list.filter((a) => a.Status === 'resolved');
  list.Firing = () => firing;
  list.Resolved = () => resolved;
  return {
    Receiver: quoteMeta(receiver),
    Status: firing.length > 0 ? 'firing' : 'resolved',
    Alerts: list,
    GroupLabels: new KV(groupLabels),
    CommonLabels: new KV(common(alerts.map((a) => a.labels))),
    CommonAnnotations: new KV(common(alerts.map((a) => a.annotations))),
    ExternalURL: externalURL,
  };
}

/** The pairs every set has with the same value. */
export function common(sets: readonly LabelSet[]): Record<string, string> {
  const first = sets[0];
  if (first === undefined) return {};
  const out: Record<string, string> = { ...first };
  for (const s of sets.slice(1)) {
    for (const k of Object.keys(out)) if (s[k] !== out[k]) delete out[k];
  }
  return out;
}

/** Go's `regexp.QuoteMeta`, which Alertmanager applies to the receiver name in template data. */
export function quoteMeta(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}

/** The JSON form of an alert in Alertmanager's webhook payload (version 4). */
export function webhookAlert(a: Alert, now: number) {
  return {
    status: alertStatus(a, now),
    labels: a.labels,
    annotations: a.annotations,
    startsAt: goTime(a.startsAt),
    endsAt: a.endsAt === 0 ? '0001-01-01T00:00:00Z' : goTime(a.endsAt),
    generatorURL: a.generatorURL,
    fingerprint: a.fingerprint,
  };
}
