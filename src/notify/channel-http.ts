/** The HTTP status rules shared by the Slack and webhook channels. */

import { PostError, type PostResult, post } from './http-post.ts';
import { failure, type Outcome, parseRetryAfter, type SendContext } from './outcome.ts';
import type { StoredHttp } from './stored.ts';

/** POSTs JSON; maps connection errors and timeouts to transient outcomes. */
export async function postJson(
  url: string,
  body: unknown,
  extraHeaders: Record<string, string>,
  http: StoredHttp,
  timeoutMs: number,
  ctx: SendContext,
): Promise<PostResult | Outcome> {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(extraHeaders)) {
    const lower = k.toLowerCase();
    if (lower !== 'content-type' && lower !== 'content-length' && lower !== 'user-agent' && lower !== 'host')
      headers[k] = v;
  }
  headers['Content-Type'] = 'application/json';
  headers['User-Agent'] = ctx.userAgent;
  try {
    return await post({
      url,
      body: Buffer.from(JSON.stringify(body) ?? 'null'),
      headers,
      http,
      timeoutMs,
      responseLimitBytes: ctx.responseLimitBytes,
      signal: ctx.signal,
    });
  } catch (err) {
    return failure('transient', err instanceof PostError ? err.message : String(err));
  }
}

/** A status line plus the start of the body, on one line and short. */
export function statusReason(r: PostResult): string {
  const text = r.body.replace(/\s+/g, ' ').trim().slice(0, 200);
  return text === '' ? String(r.status) : `${r.status} ${text}`;
}

/**
 * The generic rule: 2xx delivered; 429 rate limited (honouring Retry-After); 408 and 5xx transient; every
 * other status (4xx, an unfollowed 3xx) permanent.
 */
export function classifyStatus(r: PostResult, ctx: SendContext): Outcome {
  if (r.status >= 200 && r.status < 300) return { ok: true };
  const reason = statusReason(r);
  if (r.status === 429) {
    const header = r.headers['retry-after'];
    return failure('rate_limited', reason, parseRetryAfter(Array.isArray(header) ? header[0] : header, ctx.now()));
  }
  if (r.status === 408 || r.status >= 500) return failure('transient', reason);
  return failure('permanent', reason);
}
