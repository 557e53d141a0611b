/** Generic webhooks: a JSON POST; any 2xx is delivered (see classifyStatus for the rest). */
import { classifyStatus, postJson } from './channel-http.ts';
import type { Outcome, SendContext } from './outcome.ts';
import type { StoredMessage } from './stored.ts';

export async function sendWebhook(m: Extract<StoredMessage, { kind: 'webhook' }>, ctx: SendContext): Promise<Outcome> {
  const r = await postJson(m.url, m.body, m.headers, m.http, m.timeoutMs ?? ctx.timeoutMs, ctx);
  if ('ok' in r) return r;
  return classifyStatus(r, ctx);
}
