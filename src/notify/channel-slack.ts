/**
 * Slack incoming webhooks. Slack answers `200 ok` on success and a status with a short error word otherwise:
 * `400 invalid_payload`/`no_text`, `403 action_prohibited`, `404 channel_not_found`/`no_service`,
 * `410 channel_is_archived` (permanent: the same message would be refused again), `429` with Retry-After
 * when over its rate of about one message per second per webhook, and 5xx when it is unwell.
 */
import { classifyStatus, postJson } from './channel-http.ts';
import type { Outcome, SendContext } from './outcome.ts';
import type { StoredMessage } from './stored.ts';

export async function sendSlack(m: Extract<StoredMessage, { kind: 'slack' }>, ctx: SendContext): Promise<Outcome> {
  const r = await postJson(m.url, m.body, {}, m.http, ctx.timeoutMs, ctx);
  if ('ok' in r) return r;
  return classifyStatus(r, ctx);
}
