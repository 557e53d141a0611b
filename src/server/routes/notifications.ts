/**
 * The notification outbox as users see it: recent deliveries, the dead-letter list, and retrying or
 * discarding a dead letter. `GET /api/v1/notifications`, `POST /api/v1/notifications/dead-letters/:id/retry`,
 * `DELETE /api/v1/notifications/dead-letters/:id`.
 */
import { sendData } from '../context.ts';
import { HttpError } from '../errors.ts';
import type { Route } from '../router.ts';

/** What the routes need from the notify module (its Outbox satisfies it). */
export interface NotificationsBackend {
  depth(): number;
  history(limit?: number): unknown[];
  deadLetters(limit?: number): unknown[];
  retryDeadLetter(id: number): boolean;
  discardDeadLetter(id: number): boolean;
}

export function notificationRoutes(backend: () => NotificationsBackend | undefined): Route[] {
  const outbox = (): NotificationsBackend => {
    const b = backend();
    if (b === undefined) throw new HttpError(503, 'unavailable', 'notifications are not running');
    return b;
  };
  const id = (raw: string | undefined): number => {
    const n = Number(raw);
    if (!Number.isSafeInteger(n) || n <= 0) throw new HttpError(400, 'bad_data', `invalid id ${JSON.stringify(raw)}`);
    return n;
  };
  return [
    {
      method: 'GET',
      pattern: '/api/v1/notifications',
      access: 'user',
      handle({ res, url }) {
        const raw = url.searchParams.get('limit');
        const limit = raw === null || raw === '' ? 100 : Number(raw);
        if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
          throw new HttpError(400, 'bad_data', `invalid limit ${JSON.stringify(raw)}: 1 to 1000`);
        }
        const o = outbox();
        sendData(res, { depth: o.depth(), history: o.history(limit), deadLetters: o.deadLetters(limit) });
      },
    },
    {
      method: 'POST',
      pattern: '/api/v1/notifications/dead-letters/:id/retry',
      access: 'admin',
      handle({ res, params }) {
        if (!outbox().retryDeadLetter(id(params.id))) throw new HttpError(404, 'not_found', 'no such dead letter');
        sendData(res, null);
      },
    },
    {
      method: 'DELETE',
      pattern: '/api/v1/notifications/dead-letters/:id',
      access: 'admin',
      handle({ res, params }) {
        if (!outbox().discardDeadLetter(id(params.id))) throw new HttpError(404, 'not_found', 'no such dead letter');
        sendData(res, null);
      },
    },
  ];
}
