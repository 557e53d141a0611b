import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Principal } from './auth/authenticator.ts';
import { HttpError } from './errors.ts';

/** One request as handlers see it. `principal` is null on public routes reached without credentials. */
export interface RequestContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly url: URL;
  readonly params: Readonly<Record<string, string>>;
  readonly principal: Principal | null;
  readonly clientIp: string;
  /** Whether the connection is TLS (for cookie flags). */
  readonly secure: boolean;
  /** Reads the whole body, refusing (413) more than the route's limit. */
  body(): Promise<Buffer>;
}

/** Sends `data` as JSON with Prometheus' success envelope `{status:"success", data}`. */
export function sendData(res: ServerResponse, data: unknown, status = 200, headers: Record<string, string> = {}): void {
  sendJson(res, status, { status: 'success', data }, headers);
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export function sendText(
  res: ServerResponse,
  status: number,
  text: string,
  contentType = 'text/plain; charset=utf-8',
): void {
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** Sends an HttpError (or any error, as 500 without its details) in Prometheus' error shape. */
export function sendError(res: ServerResponse, err: HttpError): void {
  sendJson(res, err.status, { status: 'error', errorType: err.errorType, error: err.message }, { ...err.headers });
}

/**
 * Parses a request body as JSON or as an HTML form (`application/x-www-form-urlencoded`), by Content-Type.
 * Throws HttpError 400 naming the byte offset of a JSON syntax error, or 415 for other types.
 */
export function parseBody(req: IncomingMessage, body: Buffer): Record<string, unknown> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type === 'application/x-www-form-urlencoded') {
    return Object.fromEntries(new URLSearchParams(body.toString('utf8')));
  }
  if (type === 'application/json' || type === '') {
    let value: unknown;
    try {
      value = JSON.parse(body.toString('utf8'));
    } catch (err) {
      throw new HttpError(400, 'bad_data', `invalid JSON body: ${(err as Error).message}`);
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new HttpError(400, 'bad_data', 'invalid JSON body: expected an object');
    }
    return value as Record<string, unknown>;
  }
  throw new HttpError(415, 'bad_data', `unsupported Content-Type "${type}": send application/json`);
}

/** A string field of a parsed body, or 400 naming it. */
export function stringField(body: Record<string, unknown>, name: string, options: { optional?: boolean } = {}): string {
  const v = body[name];
  if (typeof v === 'string' && v !== '') return v;
  if (v === undefined && options.optional) return '';
  throw new HttpError(400, 'bad_data', `field "${name}" must be a non-empty string`);
}
