/**
 * The shell around every Prometheus API handler (upstream's `wrap` in `api.go`): reads the form, runs the handler,
 * and answers `{"status":"success","data":…}` with `warnings` and `infos` when there are any, 204 when the
 * handler has no data, or `{"status":"error","errorType":…,"error":…}` with the status of the error's type.
 */
import type { ServerResponse } from 'node:http';
import { ParseError, QueryExecutionError } from '../../promql/index.ts';
import type { RequestContext } from '../context.ts';
import type { Access, Route } from '../router.ts';
import { ApiError, type ApiErrorType } from './query-errors.ts';
import { encodeJson, goJsonString, RawJson } from './query-json.ts';
import { ApiParams, invalidParam } from './query-params.ts';

/** What a handler answers: data (plain values or RawJson) with annotations, or nothing (204). */
export type ApiReply =
  | { readonly data: unknown; readonly warnings?: readonly string[]; readonly infos?: readonly string[] }
  | { readonly noContent: true };

export type ApiHandler = (params: ApiParams, ctx: RequestContext) => Promise<ApiReply> | ApiReply;

/** Most warnings and infos in one answer; the rest are counted (upstream's `AsStrings(query, 10, 10)`). */
const maxAnnotations = 10;

/** Routes `method pattern` to `handle`, with the form parsed and errors in Prometheus' shape. */
export function apiRoute(method: string, pattern: string, access: Access, handle: ApiHandler): Route {
  return {
    method,
    pattern,
    access,
    async handle(ctx) {
      let reply: ApiReply;
      try {
        reply = await handle(await ApiParams.read(ctx), ctx);
      } catch (err) {
        if (!(err instanceof ApiError)) throw err;
        respondError(ctx.res, err);
        return;
      }
      respond(ctx.res, reply);
    },
  };
}

/** The same handler under GET and POST, as upstream registers most read endpoints. */
export function getAndPost(pattern: string, access: Access, handle: ApiHandler): Route[] {
  return [apiRoute('GET', pattern, access, handle), apiRoute('POST', pattern, access, handle)];
}

function capped(list: readonly string[] | undefined, kind: string): string[] {
  const all = [...new Set(list ?? [])];
  if (all.length <= maxAnnotations) return all;
  return [...all.slice(0, maxAnnotations), `${all.length - maxAnnotations} more ${kind} annotations omitted`];
}

function respond(res: ServerResponse, reply: ApiReply): void {
  if (res.destroyed) return;
  if ('noContent' in reply) {
    res.writeHead(204);
    res.end();
    return;
  }
  const warnings = capped(reply.warnings, 'warning');
  const infos = capped(reply.infos, 'info');
  let tail = '';
  if (warnings.length > 0) tail += `,"warnings":${encodeJson(warnings)}`;
  if (infos.length > 0) tail += `,"infos":${encodeJson(infos)}`;
  const data = reply.data;
  if (data instanceof RawJson && typeof data.text !== 'string') {
    // A large result already in bytes: written as it is, between the envelope's head and tail.
    const head = Buffer.from('{"status":"success","data":');
    const end = Buffer.from(`${tail}}`);
    res.writeHead(200, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': head.length + data.text.length + end.length,
    });
    res.write(head);
    res.write(data.text);
    res.end(end);
    return;
  }
  send(res, 200, `{"status":"success","data":${encodeJson(data)}${tail}}`);
}

/** Answers an ApiError in Prometheus' error shape. */
export function respondError(res: ServerResponse, err: ApiError): void {
  if (res.destroyed || res.headersSent) return;
  send(res, err.status, `{"status":"error","errorType":"${err.errorType}","error":${goJsonString(err.message)}}`);
}

function send(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

const engineErrorTypes: ReadonlySet<string> = new Set<ApiErrorType>(['execution', 'timeout', 'canceled', 'internal']);

/**
 * Maps what the engine threw to the API error upstream answers: a query that does not parse or that the engine
 * refuses before running it is `invalid parameter "query"` (bad_data); a failure while running keeps the engine's
 * type (execution, timeout, canceled, internal). Anything else is a bug and is rethrown (500).
 */
export function queryError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof ParseError) return invalidParam('query', err.message);
  if (err instanceof QueryExecutionError) {
    if (err.errorType === 'bad_data') return invalidParam('query', err.message);
    if (engineErrorTypes.has(err.errorType)) return new ApiError(err.errorType as ApiErrorType, err.message);
    return new ApiError('execution', err.message);
  }
  throw err;
}
