/**
 * The request path of the gateway: validate the request, pick the site, route and upstream, let the inspector
 * see each phase, stream the body to the upstream and the response back, and answer 4xx/5xx itself when the
 * request is refused or the upstream fails. Never throws: every failure ends in a status or a closed stream.
 */
import { randomUUID } from 'node:crypto';
import { plainIp } from './client-ip.ts';
import {
  type ClientRequest,
  type ClientResponse,
  type Exchange,
  hasBody,
  isHttp2,
  type ProxyDeps,
  type ProxyState,
  sendStatus,
  trackExchange,
} from './exchange.ts';
import { blocked, bufferRequestBody, forward } from './forward.ts';
import type { Inspection } from './inspector.ts';
import { headerRecord, type RawHead } from './raw-head.ts';
import { type Refusal, type RefusalReason, withRefusal } from './refusals.ts';
import { originForm, targetProblem, validHost } from './request-target.ts';
import { hostOnly } from './site.ts';

export type { ClientRequest, ClientResponse, Exchange, ProxyDeps, ProxyState } from './exchange.ts';
export { sendStatus } from './exchange.ts';
export { targetProblem } from './request-target.ts';

const requestIdPattern = /^[A-Za-z0-9._:-]{1,128}$/;

export class ReverseProxy {
  constructor(private readonly deps: ProxyDeps) {}

  /** Handles one request (HTTP/1.1 or HTTP/2) on the TLS listener. */
  handle(req: ClientRequest, res: ClientResponse): void {
    const startedNs = process.hrtime.bigint();
    const startedMs = Date.now();
    const state = this.deps.state();
    const h2 = isHttp2(req);
    const headers = req.headers;
    if (req.rawHeaders.length / 2 > state.limits.max_header_count + (h2 ? 4 : 0)) {
      this.refuse(req, res, 431, 'too_many_headers', true, `${req.rawHeaders.length / 2} headers`);
      return;
    }
    if (h2 && headerListSize(req.rawHeaders) > state.limits.max_header_bytes) {
      this.refuse(req, res, 431, 'header_too_large', false, `header list of ${headerListSize(req.rawHeaders)} bytes`);
      return;
    }
    if (!h2 && headers['transfer-encoding'] !== undefined && headers['content-length'] !== undefined) {
      this.refuse(
        req,
        res,
        400,
        'smuggling',
        true,
        `Content-Length: ${headers['content-length']}, Transfer-Encoding: ${headers['transfer-encoding']}`,
      );
      return;
    }
    const hostValue = (h2 ? headers[':authority'] : undefined) ?? headers.host;
    const rawHost = typeof hostValue === 'string' ? hostValue : '';
    // What is wrong with the head but still lets the site's WAF see the request before it is refused, so that
    // its findings (CRS's protocol rules) are in the same security event.
    let problem: { reason: RefusalReason; data: string } | undefined;
    if (rawHost === '') {
      // HTTP/1.0 needs no Host (RFC 9112 3.2): such a request goes to the `*` site, if any.
      if (h2 || req.httpVersion !== '1.0') problem = { reason: 'missing_host', data: 'no Host header' };
    } else if (!validHost(rawHost)) {
      problem = { reason: 'bad_host', data: `Host: ${rawHost.slice(0, 100)}` };
    }
    if (!h2 && req.httpVersion !== '1.1' && req.httpVersion !== '1.0') {
      problem ??= { reason: 'bad_version', data: `HTTP/${req.httpVersion}` };
    }
    const received = req.url ?? '';
    let target = received;
    if (!h2 && target.charCodeAt(0) !== 47 /* / */) {
      const origin = originForm(target, rawHost);
      if (origin === null)
        problem ??= { reason: 'bad_request_target', data: 'an absolute-form target for another host' };
      else if (origin !== undefined) target = origin;
    }
    const targetIssue = targetProblem(target);
    if (targetIssue !== undefined) problem ??= { reason: 'bad_request_target', data: targetIssue };
    const site = state.sites.lookup(hostOnly(rawHost));
    if (site === undefined) {
      if (problem !== undefined) this.refuse(req, res, 400, problem.reason, true, problem.data);
      else if (rawHost === '') this.refuse(req, res, 400, 'missing_host', true, 'no Host header and no `*` site');
      else this.refuse(req, res, 421, 'unknown_host', false, `Host: ${rawHost}`);
      return;
    }
    const peerIp = plainIp(req.socket.remoteAddress);
    const trusted = state.trusted.has(peerIp);
    const xff = headers['x-forwarded-for'];
    const clientIp = trusted ? state.trusted.clientIp(peerIp, typeof xff === 'string' ? xff : xff?.join(',')) : peerIp;
    const given = headers['x-request-id'];
    const requestId = trusted && typeof given === 'string' && requestIdPattern.test(given) ? given : randomUUID();
    const q = target.indexOf('?');
    const route = site.route(q < 0 ? target : target.slice(0, q));
    const ex: Exchange = {
      req,
      res,
      site,
      route,
      siteMetrics: this.deps.metrics.site(site.name),
      requestId,
      clientIp,
      peerIp,
      host: rawHost,
      target,
      refusal: undefined,
      state,
      startedNs,
      startedMs,
      upstream: undefined,
      inspection: null,
      requestBytes: 0,
      responseBytes: 0,
    };
    res.once('close', () => this.finished(ex));
    trackExchange(ex);
    const declared = headers['content-length'];
    if (declared !== undefined && Number(declared) > route.maxBodyBytes) {
      req.resume();
      sendStatus(res, 413, undefined, true);
      this.deps.security.refused(state.audit, {
        reason: 'too_large',
        status: 413,
        site: site.name,
        clientIp,
        method: req.method ?? '',
        uri: target,
        requestId,
        data: `Content-Length ${declared} > ${route.maxBodyBytes}`,
      });
      return;
    }
    const waf = site.config.waf;
    ex.inspection = state.inspector.open({
      requestId,
      site: site.name,
      clientIp,
      clientPort: req.socket.remotePort ?? 0,
      method: req.method ?? 'GET',
      uri: received,
      httpVersion: req.httpVersion,
      headers,
      rawHeaders: req.rawHeaders,
      waf: { enabled: waf.enabled, mode: waf.mode, paranoiaLevel: waf.paranoia_level },
    });
    if (problem !== undefined) {
      // The WAF reads the head (its verdict is moot: the request is refused either way), then the refusal.
      ex.inspection?.requestHeaders();
      ex.refusal = problem;
      req.resume();
      sendStatus(res, 400, undefined, true);
      return;
    }
    if (ex.inspection !== null && blocked(ex, ex.inspection.requestHeaders())) return;
    if (ex.inspection !== null && ex.inspection.requestBodyLimitBytes > 0 && hasBody(req)) {
      bufferRequestBody(this.deps, ex, ex.inspection);
      return;
    }
    // No body to read (or its inspection is off): the request body phase still runs before the upstream is contacted,
    // since rules that decide on the whole request (CRS's anomaly evaluation) live there.
    if (ex.inspection !== null && blocked(ex, ex.inspection.requestBody(Buffer.alloc(0), true))) return;
    forward(this.deps, ex, undefined);
  }

  /** Refuses a request before it reached a site. */
  private refuse(
    req: ClientRequest,
    res: ClientResponse,
    status: number,
    reason: RefusalReason,
    close: boolean,
    data?: string,
  ): void {
    const clientIp = plainIp(req.socket.remoteAddress);
    this.deps.logger.debug('request refused', { reason, status, client_ip: clientIp });
    req.resume();
    sendStatus(res, status, undefined, close);
    this.refused(this.deps.state(), {
      reason,
      status,
      site: '',
      clientIp,
      method: req.method ?? '',
      uri: req.url ?? '',
      ...(data === undefined ? {} : { data }),
    });
  }

  /**
   * Records a request the gateway refuses without serving it (a head Node's parser refused, CONNECT) after
   * the WAF of its site, if any, read the head: one security event with the WAF's findings and the refusal.
   * Never throws.
   */
  inspectRefused(
    state: ProxyState,
    head: RawHead,
    peer: { readonly ip: string; readonly port: number },
    refusal: { readonly reason: RefusalReason; readonly status: number; readonly data: string },
  ): void {
    const startedMs = Date.now();
    const headers = headerRecord(head.rawHeaders);
    const site = state.sites.lookup(hostOnly(headers.host ?? ''));
    const requestId = randomUUID();
    const base: Refusal = {
      ...refusal,
      site: site?.name ?? '',
      clientIp: peer.ip,
      method: head.method,
      uri: head.target,
      requestId,
      timeMs: startedMs,
    };
    if (site === undefined) {
      this.refused(state, base);
      return;
    }
    const waf = site.config.waf;
    let inspection: Inspection | null = null;
    try {
      inspection = state.inspector.open({
        requestId,
        site: site.name,
        clientIp: peer.ip,
        clientPort: peer.port,
        method: head.method,
        uri: head.target,
        httpVersion: head.version,
        headers,
        rawHeaders: head.rawHeaders,
        waf: { enabled: waf.enabled, mode: waf.mode, paranoiaLevel: waf.paranoia_level },
      });
      inspection?.requestHeaders();
    } catch (err) {
      this.deps.logger.error('inspecting a refused request failed', { err: err as Error });
    }
    if (inspection === null) {
      this.refused(state, base);
      return;
    }
    this.deps.metrics.clientErrors.inc({ reason: refusal.reason });
    this.deps.security.record(
      state.audit,
      { requestId, site: site.name, clientIp: peer.ip, method: head.method, uri: head.target, headers },
      true,
      withRefusal(inspection.close(refusal.status), base),
      refusal.status,
      startedMs,
    );
  }

  /** Records a refusal as a security event (audit line, event sink, `vigil_gateway_client_errors_total`). */
  refused(state: ProxyState, refusal: Refusal): void {
    this.deps.security.refused(state.audit, refusal);
  }

  private finished(ex: Exchange): void {
    const status = ex.res.statusCode;
    const seconds = Number(process.hrtime.bigint() - ex.startedNs) / 1e9;
    const m = ex.siteMetrics;
    m.request(status);
    m.duration.observe(seconds);
    if (ex.requestBytes > 0) m.requestBytes.inc(ex.requestBytes);
    if (ex.responseBytes > 0) m.responseBytes.inc(ex.responseBytes);
    const inspected = ex.inspection !== null;
    let event = ex.inspection === null ? null : ex.inspection.close(status);
    if (ex.refusal !== undefined) {
      this.deps.metrics.clientErrors.inc({ reason: ex.refusal.reason });
      event = withRefusal(event, {
        reason: ex.refusal.reason,
        status,
        site: ex.site.name,
        clientIp: ex.clientIp,
        method: ex.req.method ?? '',
        uri: ex.req.url ?? ex.target,
        requestId: ex.requestId,
        data: ex.refusal.data,
        timeMs: ex.startedMs,
      });
    }
    this.deps.security.record(
      ex.state.audit,
      {
        requestId: ex.requestId,
        site: ex.site.name,
        clientIp: ex.clientIp,
        method: ex.req.method ?? 'GET',
        uri: ex.target,
        headers: ex.req.headers,
      },
      inspected,
      event,
      status,
      ex.startedMs,
    );
    if (ex.state.accessLog) {
      const q = ex.target.indexOf('?');
      this.deps.logger.info('request', {
        request_id: ex.requestId,
        site: ex.site.name,
        method: ex.req.method,
        path: q < 0 ? ex.target : ex.target.slice(0, q),
        status,
        duration_ms: Math.round(seconds * 1e6) / 1e3,
        upstream: ex.upstream?.url,
        client_ip: ex.clientIp,
        bytes_out: ex.responseBytes,
        proto: ex.req.httpVersion,
      });
    }
  }
}

/**
 * The size of an HTTP/2 header list as RFC 9113 6.5.2 counts it (name + value + 32 per field). Node's parser
 * limits HTTP/1.1 heads; for HTTP/2 the gateway checks it here.
 */
function headerListSize(raw: readonly string[]): number {
  let n = 0;
  for (let i = 0; i < raw.length; i += 2) n += (raw[i] as string).length + (raw[i + 1] as string).length + 32;
  return n;
}
