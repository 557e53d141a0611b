/** Test support for this module and its users: Alertmanager template data built the way Alertmanager builds it, and its JSON twin (what `amtool template render --template.data` reads). */
import { KV } from './kv.ts';

export interface AlertSpec {
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  generatorURL?: string;
}

/** The template data (`.Alerts.Firing` as a method, as the alerting module builds it) and the amtool JSON of it. */
export function notificationData(
  receiver: string,
  groupLabels: Record<string, string>,
  alerts: AlertSpec[],
  externalURL: string,
) {
  const common = (sets: Record<string, string>[]) => {
    const out: Record<string, string> = { ...(sets[0] ?? {}) };
    for (const s of sets.slice(1)) for (const k of Object.keys(out)) if (s[k] !== out[k]) delete out[k];
    return out;
  };
  const commonLabels = common(alerts.map((a) => a.labels));
  const commonAnnotations = common(alerts.map((a) => a.annotations ?? {}));
  const startsAt = new Date(Date.UTC(2026, 10, 23, 23, 11, 6, 719));
  const list = alerts.map((a) => ({
    Status: a.status,
    Labels: new KV(a.labels),
    Annotations: new KV(a.annotations ?? {}),
    StartsAt: startsAt,
    EndsAt: new Date(Date.parse('0001-01-01T00:00:00Z')),
    GeneratorURL: a.generatorURL ?? '',
    Fingerprint: '0123456789abcdef',
  }));
  const firing = list.filter((a) => a.Status === 'firing');
  const resolved = list.filter((a) => a.Status === 'resolved');
  const data = {
    Receiver: receiver,
    Status: firing.length > 0 ? 'firing' : 'resolved',
    Alerts: Object.assign(list, { Firing: () => firing, Resolved: () => resolved }),
    GroupLabels: new KV(groupLabels),
    CommonLabels: new KV(commonLabels),
    CommonAnnotations: new KV(commonAnnotations),
    ExternalURL: externalURL,
  };
  const json = {
    receiver,
    status: data.Status,
    alerts: alerts.map((a) => ({
      status: a.status,
      labels: a.labels,
      annotations: a.annotations ?? {},
      startsAt: startsAt.toISOString(),
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: a.generatorURL ?? '',
      fingerprint: '0123456789abcdef',
    })),
    groupLabels,
    commonLabels,
    commonAnnotations,
    externalURL,
  };
  return { data, json };
}
