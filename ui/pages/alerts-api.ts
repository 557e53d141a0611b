/** The Alerts page's view of the rules, Alertmanager and notification APIs: their answers' shapes and the calls. */
import { fetchJson, getData } from '../api.ts';

export type LabelSet = Record<string, string>;

/** An alert of an alerting rule, as `GET /api/v1/rules` lists it. */
export interface RuleAlert {
  labels: LabelSet;
  annotations: LabelSet;
  state: 'inactive' | 'pending' | 'firing';
  activeAt: string;
  /** Go's `'e'` format: `1e+00`. */
  value: string;
}

export interface Rule {
  type: 'alerting' | 'recording';
  name: string;
  query: string;
  health: 'unknown' | 'ok' | 'err';
  lastError?: string;
  /** Alerting rules only. */
  state?: 'inactive' | 'pending' | 'firing';
  alerts?: RuleAlert[] | null;
}

export interface RuleGroup {
  name: string;
  file: string;
  rules: Rule[];
}

export interface Matcher {
  name: string;
  value: string;
  isRegex: boolean;
  /** Absent means true (Alertmanager before 0.22). */
  isEqual?: boolean;
}

/** An alert as Alertmanager's API v2 returns it inside a group. */
export interface RoutedAlert {
  labels: LabelSet;
  annotations: LabelSet;
  startsAt: string;
  endsAt?: string;
  fingerprint: string;
  status: { state: 'active' | 'suppressed' | 'unprocessed'; silencedBy: string[]; inhibitedBy: string[] };
  receivers: { name: string }[];
}

export interface AlertGroup {
  labels: LabelSet;
  receiver: { name: string };
  alerts: RoutedAlert[];
}

export interface Silence {
  id: string;
  status: { state: 'active' | 'pending' | 'expired' };
  matchers: Matcher[];
  startsAt: string;
  endsAt: string;
  updatedAt: string;
  createdBy: string;
  comment: string;
}

export interface PostableSilence {
  matchers: Matcher[];
  startsAt: string;
  endsAt: string;
  createdBy: string;
  comment: string;
}

/** Who asked for a notification (src/notify/types.ts MessageMeta). */
export interface DeliveryMeta {
  source: string;
  receiver: string;
  integration: string;
  summary: string;
}

/** Times are Unix ms (or RFC 3339). */
export interface Delivery {
  id: number;
  channel: string;
  meta: DeliveryMeta;
  time: number | string;
  status: 'sent' | 'failed' | 'dead';
  attempts: number;
  lastError: string | null;
}

export interface DeadLetter {
  id: number;
  channel: string;
  meta: DeliveryMeta;
  enqueuedAt: number | string;
  diedAt: number | string;
  attempts: number;
  reason: string;
}

export interface Notifications {
  depth: number;
  history: Delivery[];
  deadLetters: DeadLetter[];
}

export const getRules = (signal: AbortSignal) =>
  getData<{ groups: RuleGroup[] }>('/api/v1/rules', { type: 'alert' }, signal).then((d) => d.groups);

export const getAlertGroups = (signal: AbortSignal) => fetchJson<AlertGroup[]>('/api/v2/alerts/groups', { signal });

export const getSilences = (signal: AbortSignal) => fetchJson<Silence[]>('/api/v2/silences', { signal });

export const getNotifications = (signal: AbortSignal) =>
  getData<Notifications>('/api/v1/notifications', { limit: '50' }, signal);

/** Creates a silence; resolves to its id. */
export const postSilence = (s: PostableSilence) =>
  fetchJson<{ silenceID: string }>('/api/v2/silences', { method: 'POST', body: s }).then((r) => r.silenceID);

export const expireSilence = (id: string) =>
  fetchJson<undefined>(`/api/v2/silence/${encodeURIComponent(id)}`, { method: 'DELETE' });

export const retryDeadLetter = (id: number) =>
  fetchJson<unknown>(`/api/v1/notifications/dead-letters/${id}/retry`, { method: 'POST' });

export const discardDeadLetter = (id: number) =>
  fetchJson<unknown>(`/api/v1/notifications/dead-letters/${id}`, { method: 'DELETE' });
