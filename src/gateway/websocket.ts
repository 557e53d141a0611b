/**
 * HTTP/1.1 upgrades (WebSocket): the handshake goes to an upstream on a connection of its own; on 101 the two
 * sockets are joined byte for byte until either side closes. Any other answer is passed back and the
 * connection closed.
 */
import { randomUUID } from 'node:crypto';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Duplex } from 'node:stream';
import { plainIp } from './client-ip.ts';
import { rawErrorResponse } from './error-page.ts';
import { upstreamRequestHeaders } from './headers.ts';
import type { ProxyDeps } from './proxy.ts';
import { targetProblem } from './proxy.ts';
import { hostOnly } from './site.ts';

function rawHead(status: number, message: string, raw: readonly string[], extra: string[] = []): string {
  let head = `HTTP/1.1 ${status} ${message}\r\n`;
  for (let i = 0; i < raw.length; i += 2) head += `${raw[i]}: ${raw[i + 1]}\r\n`;
  for (let i = 0; i < extra.length; i += 2) head += `${extra[i]}: ${extra[i + 1]}\r\n`;
  return `${head}\r\n`;
}

/** Handles an `upgrade` event of the TLS listener. */
export function handleUpgrade(deps: ProxyDeps, req: IncomingMessage, socket: Duplex, head: Buffer): void {
  const state = deps.state();
  socket.on('error', () => socket.destroy());
  const refuse = (status: number, reason: 'bad_request_target' | 'unknown_host') => {
    socket.end(rawErrorResponse(status));
    deps.security.refused(state.audit, {
      reason,
      status,
      site: '',
      clientIp: plainIp(req.socket.remoteAddress),
      method: req.method ?? '',
      uri: req.url ?? '',
      data: reason === 'unknown_host' ? `Host: ${req.headers.host ?? ''}` : (targetProblem(req.url ?? '') ?? ''),
    });
  };
  if (targetProblem(req.url ?? '') !== undefined) {
    refuse(400, 'bad_request_target');
    return;
  }
  const rawHost = req.headers.host;
  const site = rawHost === undefined ? undefined : state.sites.lookup(hostOnly(rawHost));
  if (site === undefined || rawHost === undefined) {
    refuse(421, 'unknown_host');
    return;
  }
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const route = site.route(q < 0 ? url : url.slice(0, q));
  const upstream = route.balancer.pick(Date.now());
  if (upstream === undefined) return void socket.end(rawErrorResponse(503));
  const peerIp = plainIp(req.socket.remoteAddress);
  const trusted = state.trusted.has(peerIp);
  const requestId = randomUUID();
  const startedMs = Date.now();
  const finished = {
    requestId,
    site: site.name,
    clientIp: peerIp,
    method: req.method ?? 'GET',
    uri: url,
    headers: req.headers,
  };
  const inspection = state.inspector.open({
    requestId,
    site: site.name,
    clientIp: peerIp,
    clientPort: req.socket.remotePort ?? 0,
    method: req.method ?? 'GET',
    uri: url,
    httpVersion: req.httpVersion,
    headers: req.headers,
    rawHeaders: req.rawHeaders,
    waf: {
      enabled: site.config.waf.enabled,
      mode: site.config.waf.mode,
      paranoiaLevel: site.config.waf.paranoia_level,
    },
  });
  if (inspection !== null) {
    // An upgrade has no request body: phase 2 (CRS's anomaly evaluation) runs before the upstream is contacted.
    let v = inspection.requestHeaders();
    if (v.action === 'allow') v = inspection.requestBody(Buffer.alloc(0), true);
    if (v.action === 'block') {
      deps.security.record(state.audit, finished, true, inspection.close(v.status), v.status, startedMs);
      return void socket.end(rawErrorResponse(v.status));
    }
  }
  const closeInspection = (status: number) => {
    const event = inspection === null ? null : inspection.close(status);
    deps.security.record(state.audit, finished, inspection !== null, event, status, startedMs);
  };
  const send = upstream.secure ? httpsRequest : httpRequest;
  upstream.active++;
  const upReq = send({
    host: upstream.hostname,
    port: upstream.port,
    method: req.method,
    path: url,
    agent: false,
    setHost: false,
    headers: upstreamRequestHeaders(req.rawHeaders, {
      peerIp,
      trusted,
      proto: 'https',
      host: rawHost,
      requestId,
      upgrade: req.headers.upgrade ?? 'websocket',
    }) as unknown as Record<string, string>,
    timeout: state.limits.upstream_connect_timeout,
  });
  let done = false;
  const release = () => {
    if (!done) {
      done = true;
      upstream.active--;
    }
  };
  upReq.on('timeout', () => upReq.destroy(new Error('upstream timeout')));
  upReq.on('error', (err: NodeJS.ErrnoException) => {
    release();
    deps.metrics.upstreamErrors.inc({ upstream: upstream.url, reason: err.code ?? 'error' });
    if (err.code === 'ECONNREFUSED') upstream.markFailed(Date.now());
    closeInspection(502);
    if (!socket.destroyed) socket.end(rawErrorResponse(err.message === 'upstream timeout' ? 504 : 502));
  });
  upReq.on('response', (upRes: IncomingMessage) => {
    const raw = upRes.rawHeaders.filter((_, i, a) => {
      const n = (i % 2 === 0 ? a[i] : a[i - 1]) as string;
      return !/^(connection|transfer-encoding|keep-alive)$/i.test(n);
    });
    socket.write(rawHead(upRes.statusCode ?? 502, upRes.statusMessage ?? '', raw, ['connection', 'close']));
    upRes.pipe(socket);
    upRes.on('close', release);
    closeInspection(upRes.statusCode ?? 502);
  });
  upReq.on('upgrade', (upRes: IncomingMessage, upSocket: Duplex, upHead: Buffer) => {
    upReq.setTimeout(0);
    socket.write(rawHead(101, upRes.statusMessage ?? 'Switching Protocols', upRes.rawHeaders));
    if (upHead.length > 0) socket.write(upHead);
    if (head.length > 0) upSocket.write(head);
    const closeBoth = () => {
      release();
      socket.destroy();
      upSocket.destroy();
    };
    upSocket.on('error', closeBoth);
    socket.on('error', closeBoth);
    upSocket.on('close', closeBoth);
    socket.on('close', closeBoth);
    upSocket.pipe(socket);
    socket.pipe(upSocket);
    closeInspection(101);
  });
  upReq.end();
}
