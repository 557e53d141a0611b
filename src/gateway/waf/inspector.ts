/**
 * The WAF behind the proxy's inspection seam (../inspector.ts): one transaction per request, a verdict per
 * phase, and the transaction's matches as security events when the inspection closes. The site's settings
 * choose the mode (`blocking` → On, `detection_only` → DetectionOnly) and the paranoia level (CRS keeps a
 * `tx.blocking_paranoia_level` that is already set).
 */
import {
  allow,
  type InspectedRequest,
  type Inspection,
  type RequestInspector,
  type SecurityEvent,
  type Verdict,
} from '../inspector.ts';
import type { WafEngine } from './engine.ts';
import type { Interruption } from './event.ts';
import { applyExclusions, type SiteExclusion } from './exclusions.ts';
import type { Transaction } from './transaction.ts';

/**
 * The request's header fields for the engine, in received order with repeats: HTTP/2 pseudo-headers are left
 * out, `:authority` standing in for a missing Host.
 */
export function requestHeaderPairs(raw: readonly string[]): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  let authority: string | undefined;
  let host = false;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const k = raw[i] as string;
    const v = raw[i + 1] as string;
    if (k.charCodeAt(0) === 58 /* : */) {
      if (k === ':authority') authority = v;
      continue;
    }
    if (!host && k.toLowerCase() === 'host') host = true;
    out.push([k, v]);
  }
  if (!host && authority !== undefined) out.unshift(['Host', authority]);
  return out;
}

function pairs(headers: Readonly<Record<string, string | string[] | undefined>>): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined) continue;
    if (Array.isArray(v)) for (const x of v) out.push([k, x]);
    else out.push([k, v]);
  }
  return out;
}

const verdict = (i: Interruption | null): Verdict => (i === null ? allow : { action: 'block', status: i.status });

class WafInspection implements Inspection {
  private bodyLimit: number;
  private requestBodyDone = false;
  private responseBodyDone = false;
  private inspectResponseBody = false;

  constructor(
    private readonly engine: WafEngine,
    private readonly tx: Transaction,
    private readonly req: InspectedRequest,
  ) {
    this.bodyLimit = engine.settings.requestBodyAccess ? engine.settings.requestBodyLimitBytes : 0;
  }

  /**
   * Bytes of request body to read for inspection: after phase 1 chose the body processor, a body without file
   * parts is read one byte past SecRequestBodyNoFilesLimit (enough to know it is too long), not 13 MB.
   */
  get requestBodyLimitBytes(): number {
    const s = this.engine.settings;
    if (this.bodyLimit === 0 || this.tx.state.bodyProcessor === 'MULTIPART') return this.bodyLimit;
    return Math.min(this.bodyLimit, s.requestBodyNoFilesLimitBytes + 1);
  }

  requestHeaders(): Verdict {
    const r = this.req;
    // Node hands the target and header values over HTTP/1 and HTTP/2 as Latin-1 strings, one character per
    // byte received: the engine's own representation, so they are given as they are.
    return verdict(
      this.tx.processRequestHeaders({
        method: r.method,
        uri: r.uri,
        protocol: `HTTP/${r.httpVersion}`,
        headers: requestHeaderPairs(r.rawHeaders),
      }),
    );
  }

  requestBody(body: Buffer, complete: boolean): Verdict {
    this.requestBodyDone = true;
    return verdict(this.tx.processRequestBody(body, !complete));
  }

  responseHeaders(status: number, headers: Readonly<Record<string, string | string[] | undefined>>): Verdict {
    if (!this.requestBodyDone) this.requestBody(Buffer.alloc(0), true);
    const v = verdict(this.tx.processResponseHeaders(status, 'HTTP/1.1', pairs(headers)));
    const s = this.engine.settings;
    const ct = String(headers['content-type'] ?? '')
      .split(';')[0]
      ?.trim()
      .toLowerCase();
    this.inspectResponseBody = s.responseBodyAccess && s.responseBodyMimeTypes.includes(ct ?? '');
    return v;
  }

  get responseBodyLimitBytes(): number {
    return this.inspectResponseBody ? this.engine.settings.responseBodyLimitBytes : 0;
  }

  responseBody(body: Buffer, complete: boolean): Verdict {
    this.responseBodyDone = true;
    if (!complete) this.tx.state.scalars.set('OUTBOUND_DATA_ERROR', '1');
    return verdict(this.tx.processResponseBody(body));
  }

  close(status: number): SecurityEvent | null {
    if (this.tx.interruption === null) {
      if (!this.requestBodyDone) this.requestBody(Buffer.alloc(0), true);
      if (!this.responseBodyDone && this.tx.phaseReached >= 3) this.responseBody(Buffer.alloc(0), true);
    }
    this.tx.processLogging();
    const ev = this.tx.event();
    if (ev === null) return null;
    return {
      timeMs: ev.timeMs,
      requestId: this.req.requestId,
      site: this.req.site,
      clientIp: this.req.clientIp,
      method: this.req.method,
      uri: this.req.uri,
      status,
      action: ev.action,
      matches: ev.rules,
      anomaly: { inbound: ev.inboundScore, outbound: ev.outboundScore },
    };
  }
}

/**
 * A RequestInspector running `engine` for the sites whose `waf.enabled` is set, with a site's exclusions
 * applied to each transaction.
 */
export class WafInspector implements RequestInspector {
  constructor(
    private readonly engine: WafEngine,
    private readonly exclusions: readonly SiteExclusion[] = [],
  ) {}

  open(request: InspectedRequest): Inspection | null {
    if (!request.waf.enabled) return null;
    const tx = this.engine.newTransaction({
      id: request.requestId,
      clientIp: request.clientIp,
      clientPort: request.clientPort,
      site: request.site,
      ruleEngine: request.waf.mode === 'detection_only' ? 'detectiononly' : 'on',
      tx: { blocking_paranoia_level: String(request.waf.paranoiaLevel) },
    });
    applyExclusions(tx.state, this.exclusions, request.uri);
    return new WafInspection(this.engine, tx, request);
  }
}
