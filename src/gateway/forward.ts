/**
 * Sending a request upstream: pick an upstream, stream the body (or first the part an inspector read), map
 * failures to 502/503/504, and hand the response to `respond`.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Socket } from 'node:net';
import { readBodyPrefix } from './body-prefix.ts';
import { type Exchange, hasBody, isHttp2, type ProxyDeps, sendStatus } from './exchange.ts';
import { upstreamRequestHeaders } from './headers.ts';
import type { Inspection, Verdict } from './inspector.ts';
import { respond } from './respond.ts';

/** Records a request refused while its body was read (too large, too slow) as a security event. */
function bodyRefused(deps: ProxyDeps, ex: Exchange, reason: 'too_large' | 'body_timeout', status: number): void {
  deps.security.refused(ex.state.audit, {
    reason,
    status,
    site: ex.site.name,
    clientIp: ex.clientIp,
    method: ex.req.method ?? '',
    uri: ex.target,
    requestId: ex.requestId,
    data:
      reason === 'too_large'
        ? `body over ${ex.route.maxBodyBytes} bytes`
        : `body not received within ${ex.state.limits.body_timeout} ms`,
  });
}

/** Answers `status` on a verdict to block; returns whether it did. */
export function blocked(ex: Exchange, v: Verdict): boolean {
  if (v.action === 'allow') return false;
  ex.req.resume();
  sendStatus(ex.res, v.status, undefined, !ex.req.complete);
  return true;
}

/** Reads the request body up to the inspector's limit, asks for a verdict, then forwards or blocks. */
export function bufferRequestBody(deps: ProxyDeps, ex: Exchange, inspection: Inspection): void {
  readBodyPrefix(
    ex.req,
    inspection.requestBodyLimitBytes,
    (chunk) => {
      ex.requestBytes += chunk.length;
      if (ex.requestBytes <= ex.route.maxBodyBytes) return true;
      sendStatus(ex.res, 413, undefined, true);
      bodyRefused(deps, ex, 'too_large', 413);
      return false;
    },
    (body, complete) => {
      if (blocked(ex, inspection.requestBody(body, complete))) return;
      forward(deps, ex, body);
    },
  );
}

/** Sends the request upstream; `prefix` is body already read (for inspection), the rest streams. */
export function forward(deps: ProxyDeps, ex: Exchange, prefix: Buffer | undefined, retried = false): void {
  const { req, res, route, state } = ex;
  const upstream = route.balancer.pick(Date.now());
  if (upstream === undefined) {
    req.resume();
    sendStatus(res, 503, { 'retry-after': '5' });
    return;
  }
  ex.upstream = upstream;
  upstream.active++;
  let released = false;
  const release = () => {
    if (!released) {
      released = true;
      upstream.active--;
    }
  };
  const send = upstream.secure ? httpsRequest : httpRequest;
  const upReq = send({
    host: upstream.hostname,
    port: upstream.port,
    method: req.method,
    path: ex.target,
    agent: upstream.agent,
    setHost: false,
    headers: upstreamRequestHeaders(req.rawHeaders, {
      peerIp: ex.peerIp,
      trusted: state.trusted.has(ex.peerIp),
      proto: 'https',
      host: ex.host,
      requestId: ex.requestId,
    }) as unknown as Record<string, string>,
  });
  let failure: 'connect_timeout' | 'response_timeout' | undefined;
  /** Set when the gateway itself gave up on the upstream request (413, client gone): its error is expected. */
  let abandoned = false;
  let timer: NodeJS.Timeout | undefined;
  const startResponseTimer = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      failure = 'response_timeout';
      upReq.destroy();
    }, state.limits.upstream_response_timeout);
  };
  upReq.once('socket', (socket: Socket) => {
    if (!socket.connecting) return startResponseTimer();
    timer = setTimeout(() => {
      failure = 'connect_timeout';
      upReq.destroy();
    }, state.limits.upstream_connect_timeout);
    socket.once('connect', startResponseTimer);
  });
  upReq.on('error', (err: NodeJS.ErrnoException) => {
    clearTimeout(timer);
    timer = undefined;
    release();
    if (abandoned) return;
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const reason = failure ?? err.code ?? 'error';
    deps.metrics.upstreamErrors.inc({ upstream: upstream.url, reason });
    const connectFailed = failure === 'connect_timeout' || isConnectError(err.code);
    if (connectFailed) upstream.markFailed(Date.now());
    // A keep-alive connection the upstream closed as we reused it: once more, when no body was sent.
    if (!retried && upReq.reusedSocket && err.code === 'ECONNRESET' && !hasBody(req) && failure === undefined) {
      forward(deps, ex, prefix, true);
      return;
    }
    if (res.writableEnded || res.destroyed) return;
    deps.logger.warn('upstream request failed', {
      request_id: ex.requestId,
      upstream: upstream.url,
      reason,
    });
    req.resume();
    sendStatus(res, failure !== undefined ? 504 : 502);
  });
  upReq.on('response', (upRes: IncomingMessage) => {
    clearTimeout(timer);
    timer = undefined;
    upRes.once('close', release);
    respond(deps, ex, upRes);
  });
  res.once('close', () => {
    if (!res.writableFinished) {
      abandoned = true;
      upReq.destroy();
    }
  });
  if (prefix !== undefined && prefix.length > 0) upReq.write(prefix);
  if (!hasBody(req) && !req.readableEnded) {
    upReq.end();
    req.resume();
    return;
  }
  if (req.readableEnded) {
    upReq.end();
    return;
  }
  const limit = route.maxBodyBytes;
  req.on('data', (chunk: Buffer) => {
    ex.requestBytes += chunk.length;
    if (ex.requestBytes > limit && !abandoned) {
      abandoned = true;
      req.unpipe(upReq);
      upReq.destroy();
      clearTimeout(timer);
      sendStatus(res, 413, undefined, true);
      bodyRefused(deps, ex, 'too_large', 413);
    }
  });
  req.on('error', () => {
    abandoned = true;
    upReq.destroy();
  });
  if (isHttp2(req)) {
    // Node's requestTimeout covers HTTP/1.1 bodies; an HTTP/2 stream gets its own deadline.
    const bodyTimer = setTimeout(() => {
      if (req.readableEnded || abandoned) return;
      abandoned = true;
      req.unpipe(upReq);
      upReq.destroy();
      sendStatus(res, 408);
      bodyRefused(deps, ex, 'body_timeout', 408);
    }, state.limits.body_timeout);
    req.once('end', () => clearTimeout(bodyTimer));
    res.once('close', () => clearTimeout(bodyTimer));
  }
  req.pipe(upReq);
  req.resume();
}

/** Errors that mean no connection was made: the upstream is skipped for a while (see Upstream.markFailed). */
const connectErrors = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

function isConnectError(code: string | undefined): boolean {
  return code !== undefined && connectErrors.has(code);
}
