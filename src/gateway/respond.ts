/** The upstream's response to the client: headers filtered, HSTS added, the inspector's verdicts applied. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Http2ServerResponse } from 'node:http2';
import { readBodyPrefix } from './body-prefix.ts';
import { type Exchange, isHttp2, type ProxyDeps, sendStatus } from './exchange.ts';
import { clientResponseHeaders, headerObject } from './headers.ts';
import type { Inspection } from './inspector.ts';

/** Sends the upstream's response (`upRes`) to the client of `ex`. */
export function respond(deps: ProxyDeps, ex: Exchange, upRes: IncomingMessage): void {
  const { res, state, req } = ex;
  const status = upRes.statusCode ?? 502;
  const inspection = ex.inspection;
  if (inspection !== null) {
    const v = inspection.responseHeaders(status, upRes.headers);
    if (v.action === 'block') {
      upRes.destroy();
      sendStatus(res, v.status);
      return;
    }
  }
  const flat = clientResponseHeaders(upRes.rawHeaders);
  if (state.hsts !== undefined && upRes.headers['strict-transport-security'] === undefined) {
    flat.push('strict-transport-security', state.hsts);
  }
  if (upRes.headers['x-request-id'] === undefined) flat.push('x-request-id', ex.requestId);
  // Node refuses some answers an upstream can give (HTTP/2 allows only 200-599, no invalid characters): 502.
  const writeHead = (): boolean => {
    try {
      if (isHttp2(req)) (res as Http2ServerResponse).writeHead(status, headerObject(flat));
      else (res as ServerResponse).writeHead(status, upRes.statusMessage, flat);
      return true;
    } catch (err) {
      deps.logger.warn('upstream response refused', { request_id: ex.requestId, err });
      upRes.destroy();
      sendStatus(res, 502);
      return false;
    }
  };
  const count = (chunk: Buffer) => {
    ex.responseBytes += chunk.length;
  };
  if (inspection !== null && inspection.responseBodyLimitBytes > 0) {
    bufferResponseBody(ex, inspection, upRes, writeHead, count);
    return;
  }
  if (!writeHead()) return;
  upRes.on('data', count);
  upRes.on('error', () => res.destroy());
  upRes.pipe(res as ServerResponse);
}

/** Reads the response body up to the inspector's limit, asks for a verdict, then sends or blocks it. */
function bufferResponseBody(
  ex: Exchange,
  inspection: Inspection,
  upRes: IncomingMessage,
  writeHead: () => boolean,
  count: (chunk: Buffer) => void,
): void {
  readBodyPrefix(
    upRes,
    inspection.responseBodyLimitBytes,
    (chunk) => {
      count(chunk);
      return true;
    },
    (body, complete) => {
      const v = inspection.responseBody(body, complete);
      if (v.action === 'block') {
        upRes.destroy();
        sendStatus(ex.res, v.status);
        return;
      }
      if (!writeHead()) return;
      // A whole body goes out with the head in one write.
      if (complete) ex.res.end(body);
      else {
        (ex.res as ServerResponse).write(body);
        upRes.on('data', count);
        upRes.pipe(ex.res as ServerResponse);
      }
    },
  );
}
