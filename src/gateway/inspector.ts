/**
 * The seam where a WAF (src/gateway/waf/) inspects traffic. The proxy opens one inspection per request and
 * calls its phases in order — request headers, request body, response headers, response body — then `close`.
 * A phase returns a verdict as data and never throws; a `block` verdict ends the transaction with its status
 * (the upstream is not contacted when the block comes before the response). `close` gives the request's
 * security event, which the gateway counts, writes to its audit log and hands to its event sink.
 */

import type { GatewayConfig } from '../config/index.ts';

/** What a phase decided. */
export type Verdict = { readonly action: 'allow' } | { readonly action: 'block'; readonly status: number };

export const allow: Verdict = Object.freeze({ action: 'allow' });

export type InspectionPhase = 'request_headers' | 'request_body' | 'response_headers' | 'response_body';

/** One rule that matched, as a security event lists it (a rule matching several variables: once). */
export interface MatchedRule {
  readonly id: number;
  /** 1–5: request headers, request body, response headers, response body, logging. */
  readonly phase: number;
  readonly msg: string;
  /** The rule's `logdata`, macros expanded. */
  readonly data: string;
  /** SecLang severity name (`CRITICAL`, `WARNING` …), '' when the rule has none. */
  readonly severity: string;
  readonly tags: readonly string[];
}

/**
 * What one inspected request left: produced when at least one rule matched (or an inspector interrupted),
 * once per request, after the response ended.
 */
export interface SecurityEvent {
  /** Unix ms, when the inspection started. */
  readonly timeMs: number;
  readonly requestId: string;
  /** The site's name (its first host). */
  readonly site: string;
  readonly clientIp: string;
  readonly method: string;
  /** The request target as received (path and query). */
  readonly uri: string;
  /** The status sent to the client (the blocking status, or the upstream's). */
  readonly status: number;
  /** `blocked`: the request or response was interrupted; `detected`: rules matched, nothing was stopped. */
  readonly action: 'blocked' | 'detected';
  /** In evaluation order. */
  readonly matches: readonly MatchedRule[];
  /** Anomaly scores at the end of the transaction (CRS `tx.blocking_*_anomaly_score`). */
  readonly anomaly: { readonly inbound: number; readonly outbound: number };
}

/** Where security events go (audit log, in-memory ring, later the store). `emit` must not throw. */
export interface EventSink {
  emit(event: SecurityEvent): void;
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
  /**
   * The header fields as received, in order, repeats kept, names in their received case: Node's `rawHeaders`
   * (name, value, name, value …). HTTP/2 pseudo-headers (`:authority` …) are included as received.
   */
  readonly rawHeaders: readonly string[];
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
  /**
   * Ends the inspection with the status sent; returns the transaction's event, or null when no rule matched
   * and nothing was interrupted.
   */
  close(status: number): SecurityEvent | null;
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
