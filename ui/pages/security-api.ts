/** The Security page's side of `/api/v1/security/*` (src/server/routes/security.ts) and its URL state. */
import { getData } from '../api.ts';

/** One rule that matched (src/gateway/inspector.ts' MatchedRule). */
export interface MatchedRule {
  id: number;
  /** 1–5: request headers, request body, response headers, response body, logging. */
  phase: number;
  msg: string;
  data: string;
  severity: string;
  tags: string[];
}

/** An event as the store lists it; `event` is the gateway's SecurityEvent. Every string is attacker-controlled. */
export interface StoredEvent {
  timeMs: number;
  site: string;
  clientIp: string;
  action: string;
  status: number;
  requestId: string;
  event: {
    method?: string;
    uri?: string;
    matches?: MatchedRule[];
    anomaly?: { inbound: number; outbound: number };
  };
}

export interface Summary {
  total: number;
  blocked: number;
  detected: number;
  top_ips: { ip: string; count: number }[];
  top_rules: { id: number; msg: string; count: number }[];
  top_sites: { site: string; count: number }[];
}

/** The windows offered, in the order shown. */
export const ranges = {
  '1h': { ms: 3_600_000, text: 'hour' },
  '24h': { ms: 86_400_000, text: '24 hours' },
  '7d': { ms: 7 * 86_400_000, text: '7 days' },
} as const;
export type Range = keyof typeof ranges;

/** What the page shows, as its URL query says: `?range=&action=&site=&ip=&rule=` (empty: no filter). */
export interface SecurityState {
  range: Range;
  action: '' | 'blocked' | 'detected';
  site: string;
  ip: string;
  rule: string;
}

export function stateFromSearch(search: string): SecurityState {
  const q = new URLSearchParams(search);
  const range = q.get('range') ?? '';
  const action = q.get('action') ?? '';
  return {
    range: range in ranges ? (range as Range) : '24h',
    action: action === 'blocked' || action === 'detected' ? action : '',
    site: q.get('site') ?? '',
    ip: q.get('ip') ?? '',
    rule: q.get('rule') ?? '',
  };
}

/** The query string for `state`, defaults left out ('' when all are defaults). */
export function searchOf(state: SecurityState): string {
  const q = new URLSearchParams();
  if (state.range !== '24h') q.set('range', state.range);
  if (state.action !== '') q.set('action', state.action);
  if (state.site !== '') q.set('site', state.site);
  if (state.ip !== '') q.set('ip', state.ip);
  if (state.rule !== '') q.set('rule', state.rule);
  const s = q.toString();
  return s === '' ? '' : `?${s}`;
}

/** The newest events shown at most. */
export const eventLimit = 200;

export function getEvents(state: SecurityState, sinceMs: number, signal: AbortSignal): Promise<StoredEvent[]> {
  const params: Record<string, string> = { since: String(sinceMs), limit: String(eventLimit) };
  if (state.action !== '') params.action = state.action;
  if (state.site !== '') params.site = state.site;
  if (state.ip !== '') params.client_ip = state.ip;
  if (state.rule !== '') params.rule_id = state.rule;
  return getData<StoredEvent[]>('/api/v1/security/events', params, signal);
}

export function getSummary(sinceMs: number, signal: AbortSignal): Promise<Summary> {
  return getData<Summary>('/api/v1/security/summary', { since: String(sinceMs) }, signal);
}

/** Whether this server runs a gateway (`/api/v1/status/gateway` answers null when not). */
export async function gatewayConfigured(signal: AbortSignal): Promise<boolean> {
  return (await getData<unknown>('/api/v1/status/gateway', {}, signal)) !== null;
}
