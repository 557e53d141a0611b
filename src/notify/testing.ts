/**
 * Test support: a local HTTP server that behaves like a Slack incoming webhook, for this module's tests and
 * for any module that sends to Slack through the outbox. Not for production use.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How the server answers one request. `hang` never answers (the client's timeout must fire). */
export type SlackAnswer = { status: number; body: string; headers?: Record<string, string> } | { hang: true };

/** Scripted answers, as Slack gives them. */
export const slackAnswers = {
  ok: { status: 200, body: 'ok' },
  rateLimited: (retryAfterSeconds: number): SlackAnswer => ({
    status: 429,
    body: 'rate_limited',
    headers: { 'Retry-After': String(retryAfterSeconds) },
  }),
  serverError: { status: 500, body: 'internal_error' },
  channelNotFound: { status: 404, body: 'channel_not_found' },
  channelIsArchived: { status: 410, body: 'channel_is_archived' },
  actionProhibited: { status: 403, body: 'action_prohibited' },
  hang: { hang: true },
} satisfies Record<string, SlackAnswer | ((s: number) => SlackAnswer)>;

/** A message Slack would have posted. */
export interface SlackReceived {
  /** The webhook path, e.g. `/services/T0/B0/abc`. */
  path: string;
  body: Record<string, unknown>;
  headers: IncomingHttpHeaders;
  /** `Date.now()` when the request arrived. */
  receivedAt: number;
}

/** Every request, accepted or not. */
export interface SlackRequest {
  path: string;
  receivedAt: number;
  status: number | 'hung';
  /** The raw body as received. */
  raw: string;
}

/**
 * A Slack-like incoming-webhook server on 127.0.0.1. It validates the payload as Slack does (a JSON object
 * with a non-empty `text`, `blocks` or `attachments`: otherwise `400 invalid_payload` or `400 no_text`;
 * `blocks` must be an array: `400 invalid_blocks`), then answers from the path's script, the global script,
 * or the path's default, or the server's default (`200 ok`). Only `200` answers count as accepted messages.
 */
export class SlackLikeServer {
  /** Accepted messages, in arrival order. */
  readonly received: SlackReceived[] = [];
  readonly requests: SlackRequest[] = [];
  private readonly scripts = new Map<string, SlackAnswer[]>();
  private readonly defaults = new Map<string, SlackAnswer>();
  private readonly waiters: Array<() => void> = [];
  private defaultAnswer: SlackAnswer = slackAnswers.ok;

  private constructor(
    private readonly server: Server,
    /** `http://127.0.0.1:PORT` */
    readonly origin: string,
  ) {}

  static async start(): Promise<SlackLikeServer> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const s = new SlackLikeServer(server, `http://127.0.0.1:${port}`);
    server.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const path = req.url ?? '/';
        const receivedAt = Date.now();
        const invalid = validate(req.method, raw);
        const answer = invalid ?? s.nextAnswer(path);
        if ('hang' in answer) {
          s.requests.push({ path, receivedAt, status: 'hung', raw });
          s.notify();
          return;
        }
        s.requests.push({ path, receivedAt, status: answer.status, raw });
        if (answer.status === 200)
          s.received.push({ path, body: JSON.parse(raw) as Record<string, unknown>, headers: req.headers, receivedAt });
        res.writeHead(answer.status, { 'Content-Type': 'text/html', ...answer.headers });
        res.end(answer.body);
        s.notify();
      });
    });
    return s;
  }

  /** A webhook URL on this server; different names are different destinations. */
  url(name = 'T000/B000/XXXXXXXX'): string {
    return `${this.origin}/services/${name}`;
  }

  /** Answers the next requests (to `url`'s path, or to any path when `url` is undefined) in this order. */
  script(url: string | undefined, ...answers: SlackAnswer[]): void {
    const key = url === undefined ? '*' : new URL(url).pathname;
    this.scripts.set(key, [...(this.scripts.get(key) ?? []), ...answers]);
  }

  /** The answer once scripts run out: for `url`'s path, or for every path when `url` is undefined. */
  answerWith(url: string | undefined, answer: SlackAnswer): void {
    if (url === undefined) this.defaultAnswer = answer;
    else this.defaults.set(new URL(url).pathname, answer);
  }

  /** Accepted messages to `url`. */
  messagesTo(url: string): SlackReceived[] {
    const path = new URL(url).pathname;
    return this.received.filter((m) => m.path === path);
  }

  /** Resolves once `predicate` holds, checked after each request; rejects after `timeoutMs`. */
  async until(predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`SlackLikeServer: condition not met within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 100));
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private nextAnswer(path: string): SlackAnswer {
    for (const key of [path, '*']) {
      const queue = this.scripts.get(key);
      const answer = queue?.shift();
      if (answer !== undefined) return answer;
    }
    return this.defaults.get(path) ?? this.defaultAnswer;
  }

  private notify(): void {
    for (const w of this.waiters.splice(0)) w();
  }
}

function validate(method: string | undefined, raw: string): SlackAnswer | undefined {
  if (method !== 'POST') return { status: 405, body: 'invalid_method' };
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return { status: 400, body: 'invalid_payload' };
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { status: 400, body: 'invalid_payload' };
  const b = body as Record<string, unknown>;
  if (b.blocks !== undefined && !Array.isArray(b.blocks)) return { status: 400, body: 'invalid_blocks' };
  const nonEmpty = (v: unknown) => (typeof v === 'string' ? v.trim() !== '' : Array.isArray(v) && v.length > 0);
  if (!nonEmpty(b.text) && !nonEmpty(b.blocks) && !nonEmpty(b.attachments)) return { status: 400, body: 'no_text' };
  return undefined;
}
