/**
 * Security events as the gateway's WAF recorded them: `GET /api/v1/security/events?since=<ms or RFC 3339>&limit=N`,
 * newest first (default: the last 24 hours, 100 events; at most 1000).
 */
import type { Store } from '../../store/index.ts';
import { sendData } from '../context.ts';
import { HttpError } from '../errors.ts';
import type { Route } from '../router.ts';

export function securityRoutes(store: Store): Route[] {
  return [
    {
      method: 'GET',
      pattern: '/api/v1/security/events',
      access: 'user',
      handle({ res, url }) {
        const limitRaw = url.searchParams.get('limit');
        const limit = limitRaw === null || limitRaw === '' ? 100 : Number(limitRaw);
        if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
          throw new HttpError(400, 'bad_data', `invalid limit ${JSON.stringify(limitRaw)}: 1 to 1000`);
        }
        const sinceRaw = url.searchParams.get('since');
        const since =
          sinceRaw === null || sinceRaw === ''
            ? Date.now() - 86_400_000
            : /^\d+$/.test(sinceRaw)
              ? Number(sinceRaw)
              : Date.parse(sinceRaw);
        if (Number.isNaN(since)) throw new HttpError(400, 'bad_data', `invalid since ${JSON.stringify(sinceRaw)}`);
        sendData(res, store.securityEvents.recent(since, limit));
      },
    },
  ];
}
