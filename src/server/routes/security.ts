/**
 * Security events as the gateway's WAF recorded them.
 *
 * - `GET /api/v1/security/events?since=&limit=&action=&site=&client_ip=&rule_id=`: newest first (default: the
 *   last 24 hours, 100 events; at most 1000). Each filter given keeps only the events that match it exactly:
 *   `action` is `blocked` or `detected`, `rule_id` a rule among the event's matches.
 * - `GET /api/v1/security/summary?since=`: the window's events counted (total, blocked, detected) with the top 10
 *   client addresses, rules and sites.
 *
 * `since` is Unix ms or RFC 3339. A bad parameter is a 400 naming it.
 */
import { isIP } from 'node:net';
import type { Store } from '../../store/index.ts';
import { sendData } from '../context.ts';
import { HttpError } from '../errors.ts';
import type { Route } from '../router.ts';

type SecurityEventFilter = Parameters<Store['securityEvents']['query']>[0];

const dayMs = 86_400_000;
/** Longest site name accepted (a DNS name's limit). */
const maxSiteLength = 253;
/** Largest rule id accepted (SecLang ids are unsigned 32-bit). */
const maxRuleId = 4_294_967_295;

function bad(name: string, raw: string, expected: string): HttpError {
  return new HttpError(400, 'bad_data', `invalid ${name} ${JSON.stringify(raw.slice(0, 100))}: ${expected}`);
}

/** `since` as Unix ms: digits (ms) or an RFC 3339 time; absent or empty: 24 hours before `nowMs`. */
export function parseSince(params: URLSearchParams, nowMs: number): number {
  const raw = params.get('since');
  if (raw === null || raw === '') return nowMs - dayMs;
  const ms = /^\d{1,15}$/.test(raw) ? Number(raw) : /^\d{4}-\d\d-\d\dT/.test(raw) ? Date.parse(raw) : Number.NaN;
  if (Number.isNaN(ms)) throw bad('since', raw, 'Unix milliseconds or an RFC 3339 time');
  return ms;
}

/** The events query's parameters; absent or empty filters match everything. Throws HttpError (400). */
export function parseEventsQuery(
  params: URLSearchParams,
  nowMs: number,
): { filter: SecurityEventFilter; limit: number } {
  const limitRaw = params.get('limit');
  const limit = limitRaw === null || limitRaw === '' ? 100 : Number(limitRaw);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw bad('limit', limitRaw ?? '', '1 to 1000');
  const filter: { -readonly [K in keyof SecurityEventFilter]: SecurityEventFilter[K] } = {
    sinceMs: parseSince(params, nowMs),
  };
  const action = params.get('action');
  if (action !== null && action !== '') {
    if (action !== 'blocked' && action !== 'detected') throw bad('action', action, '"blocked" or "detected"');
    filter.action = action;
  }
  const site = params.get('site');
  if (site !== null && site !== '') {
    if (site.length > maxSiteLength || !/^[^\s\p{Cc}]+$/u.test(site)) {
      throw bad('site', site, `a site name of at most ${maxSiteLength} characters without spaces`);
    }
    filter.site = site;
  }
  const ip = params.get('client_ip');
  if (ip !== null && ip !== '') {
    if (isIP(ip) === 0) throw bad('client_ip', ip, 'an IPv4 or IPv6 address');
    filter.clientIp = ip;
  }
  const rule = params.get('rule_id');
  if (rule !== null && rule !== '') {
    const id = /^\d{1,10}$/.test(rule) ? Number(rule) : Number.NaN;
    if (!(id >= 1 && id <= maxRuleId)) throw bad('rule_id', rule, `a rule id from 1 to ${maxRuleId}`);
    filter.ruleId = id;
  }
  return { filter, limit };
}

export function securityRoutes(store: Store, now: () => number = Date.now): Route[] {
  return [
    {
      method: 'GET',
      pattern: '/api/v1/security/events',
      access: 'user',
      handle({ res, url }) {
        const { filter, limit } = parseEventsQuery(url.searchParams, now());
        sendData(res, store.securityEvents.query(filter, limit));
      },
    },
    {
      method: 'GET',
      pattern: '/api/v1/security/summary',
      access: 'user',
      handle({ res, url }) {
        sendData(res, store.securityEvents.summary(parseSince(url.searchParams, now())));
      },
    },
  ];
}
