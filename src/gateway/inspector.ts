/**
 * The seam where a WAF (src/gateway/waf/) inspects traffic. The proxy opens one inspection per request and
 * calls its phases in order — request headers, request body, response headers, response body — then `close`.
 * A phase returns a verdict as data and never throws; a `block` verdict ends the transaction with its status
 * (the upstream is not contacted when the block comes before the response). Events are collected from every
 * phase and from `close`, and go to the gateway's event sink.
 */

import type { GatewayConfig } from '../config/index.ts';

/** What a phase decided. */
export type Verdict = { readonly action: 'allow' } | { readonly action: 'block'; readonly status: number };

export const allow: Verdict = Object.freeze({ action: 'allow' });

export type InspectionPhase = 'request_headers' | 'request_body' | 'response_headers' | 'response_body';

/** Something worth recording: a rule match, a blocked request, a hostile client. */
export interface SecurityEvent {
  /** `waf_match`, `waf_block`, `client_error` … */
  readonly kind: string;
  readonly phase?: InspectionPhase;
  /** Unix ms. */
  readonly timeMs: number;
  readonly site: string;
  readonly clientIp: string;
  readonly requestId: string;
  readonly method?: string;
  readonly uri?: string;
  /** The status sent when the request was blocked or refused. */
  readonly status?: number;
  readonly ruleId?: string;
  readonly message: string;
  readonly severity?: 'info' | 'notice' | 'warning' | 'error' | 'critical';
  readonly data?: Readonly<Record<string, string | number>>;
}

/** What the inspector sees of a request. Header names are lower case; values as received. */
export interface InspectedRequest {
  readonly requestId: string;
  /** The first host name of the site that took the request. */
  readonly site: string;
  /** The client's address, from trusted proxies' headers when the peer is one. */
  readonly clientIp: string;
  readonly clientPort: number;
  readonly method: string;
  /** The request target as received (path and query). */
  readonly uri: string;
  readonly httpVersion: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The site's `waf` settings, as configured. */
  readonly waf: { readonly enabled: boolean; readonly mode: string; readonly paranoiaLevel: number };
}

/** One request's inspection. Phases are called at most once each, in order; `close` always, last. */
export interface Inspection {
  requestHeaders(): Verdict;
  /**
   * Bytes of request body to buffer for `requestBody` (0: the body streams through uninspected). A body
   * longer than this is given truncated, with `complete` false.
   */
  readonly requestBodyLimitBytes: number;
  requestBody(body: Buffer, complete: boolean): Verdict;
  responseHeaders(status: number, headers: Readonly<Record<string, string | string[] | undefined>>): Verdict;
  /** As `requestBodyLimitBytes`, read after `responseHeaders` (which may decide it from the content type). */
  readonly responseBodyLimitBytes: number;
  responseBody(body: Buffer, complete: boolean): Verdict;
  /** Ends the inspection with the status sent; returns the events of the whole transaction. */
  close(status: number): readonly SecurityEvent[];
}

export interface RequestInspector {
  /** Starts inspecting a request; null when nothing of it is inspected (the proxy's fast path). */
  open(request: InspectedRequest): Inspection | null;
}

/**
 * Builds the inspector for a gateway config: called at start and on each reload, so rule sets are compiled
 * once per config (STYLE 6). Throwing refuses the config (at start: the gateway does not start; on reload:
 * the running config stays).
 */
export type InspectorFactory = (config: GatewayConfig) => RequestInspector;

/** Inspects nothing: the default until a WAF is configured. */
export const noopInspector: RequestInspector = { open: () => null };

/** Where security events go (the store, notify, logs). Must not throw; called on the request path. */
export type SecurityEventSink = (event: SecurityEvent) => void;
