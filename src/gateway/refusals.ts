/**
 * The gateway's own refusals — requests it answers 400/408/413/421/431 before any WAF rule runs (unparseable,
 * smuggling-shaped, too large, too slow, for no site) — as security events like the WAF's, so that bans,
 * alerts and reports see a slowloris or a smuggling attempt as they see an SQL injection. Each kind of refusal
 * has a rule id of its own in vigil's range (11001–11099; CRS uses 900000–999999, the baseline 10000–10999).
 */
import { randomUUID } from 'node:crypto';
import type { MatchedRule, SecurityEvent } from './inspector.ts';

export type RefusalReason =
  | 'malformed'
  | 'smuggling'
  | 'bad_request_target'
  | 'missing_host'
  | 'header_too_large'
  | 'too_many_headers'
  | 'too_large'
  | 'timeout'
  | 'body_timeout'
  | 'unknown_host'
  | 'bad_host'
  | 'bad_version'
  | 'connect';

interface RefusalRule {
  readonly id: number;
  readonly msg: string;
  readonly severity: string;
  readonly tag: string;
}

const tags = (t: string): readonly string[] => Object.freeze(['vigil-gateway', t]);

/** One rule per reason; the `reason` label of `vigil_gateway_client_errors_total` names the same thing. */
export const refusalRules: Readonly<Record<RefusalReason, RefusalRule>> = {
  malformed: { id: 11001, msg: 'Malformed HTTP request', severity: 'WARNING', tag: 'attack-protocol' },
  smuggling: {
    id: 11002,
    msg: 'HTTP request smuggling attempt: conflicting Content-Length and Transfer-Encoding',
    severity: 'CRITICAL',
    tag: 'attack-protocol',
  },
  bad_request_target: {
    id: 11003,
    msg: 'Invalid request target (encoding or another host)',
    severity: 'WARNING',
    tag: 'attack-protocol',
  },
  missing_host: { id: 11004, msg: 'Request without a Host header', severity: 'WARNING', tag: 'attack-protocol' },
  header_too_large: { id: 11005, msg: 'Request header too large', severity: 'WARNING', tag: 'attack-dos' },
  too_many_headers: { id: 11006, msg: 'Too many request headers', severity: 'WARNING', tag: 'attack-dos' },
  too_large: { id: 11007, msg: 'Request body too large', severity: 'WARNING', tag: 'attack-dos' },
  timeout: { id: 11008, msg: 'Request head too slow (slowloris)', severity: 'WARNING', tag: 'attack-dos' },
  body_timeout: { id: 11009, msg: 'Request body too slow', severity: 'WARNING', tag: 'attack-dos' },
  unknown_host: {
    id: 11010,
    msg: 'Request for a host no site serves',
    severity: 'NOTICE',
    tag: 'attack-reputation-scanner',
  },
  bad_host: { id: 11011, msg: 'Invalid Host header', severity: 'WARNING', tag: 'attack-protocol' },
  connect: {
    id: 11013,
    msg: 'CONNECT refused: the gateway tunnels nothing',
    severity: 'NOTICE',
    tag: 'attack-protocol',
  },
  bad_version: { id: 11012, msg: 'HTTP version not supported on HTTP/1', severity: 'WARNING', tag: 'attack-protocol' },
};

/** What is known of a refused request; the method and URI are '' when the request line could not be read. */
export interface Refusal {
  readonly reason: RefusalReason;
  readonly status: number;
  /** The site's name, or '' before a site was chosen. */
  readonly site: string;
  readonly clientIp: string;
  readonly method: string;
  readonly uri: string;
  /** The request's id when it had one; otherwise a new one. */
  readonly requestId?: string;
  /** What was wrong, for the event's `data` (a parser's error, the size seen). Cut to 200 characters. */
  readonly data?: string;
  readonly timeMs?: number;
}

/** The security event of a refusal: `blocked`, one match naming the refusal's rule, phase 1 (2 for bodies). */
export function refusalEvent(r: Refusal): SecurityEvent {
  const rule = refusalRules[r.reason];
  const match: MatchedRule = {
    id: rule.id,
    phase: r.reason === 'too_large' || r.reason === 'body_timeout' ? 2 : 1,
    msg: rule.msg,
    data: (r.data ?? '').slice(0, 200),
    severity: rule.severity,
    tags: tags(rule.tag),
  };
  return {
    timeMs: r.timeMs ?? Date.now(),
    requestId: r.requestId ?? randomUUID(),
    site: r.site,
    clientIp: r.clientIp,
    method: r.method,
    uri: r.uri,
    status: r.status,
    action: 'blocked',
    matches: [match],
    anomaly: { inbound: 0, outbound: 0 },
  };
}

/**
 * The event of a request the WAF read and the gateway then refused: the WAF's event (if a rule matched) with
 * the refusal's match appended, `blocked`, with the refusal's status.
 */
export function withRefusal(event: SecurityEvent | null, r: Refusal): SecurityEvent {
  const own = refusalEvent(r);
  if (event === null) return own;
  return { ...event, status: r.status, action: 'blocked', matches: [...event.matches, ...own.matches] };
}

/**
 * The method and target of a request line Node's parser refused, read from the bytes it kept (`rawPacket`),
 * as Latin-1 with control characters shown as `\xHH`; '' when there is no request line to read.
 */
export function requestLineOf(raw: Buffer | undefined): { method: string; uri: string } {
  if (raw === undefined || raw.length === 0) return { method: '', uri: '' };
  let end = raw.indexOf(0x0a);
  if (end < 0 || end > 2048) end = Math.min(raw.length, 2048);
  const line = raw.subarray(0, end).toString('latin1').replace(/\r$/, '');
  const m = /^([!#$%&'*+.^_`|~0-9A-Za-z-]{1,32}) +(\S{1,2000})/.exec(line);
  if (m === null) return { method: '', uri: visible(line.slice(0, 200)) };
  return { method: m[1] as string, uri: visible(m[2] as string) };
}

/** Node's parser errors that mean a request could be read two ways (RFC 9112 6.3). */
export const smugglingCodes: ReadonlySet<string> = new Set([
  'HPE_INVALID_TRANSFER_ENCODING',
  'HPE_UNEXPECTED_CONTENT_LENGTH',
]);

function visible(s: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is replaced
  return s.replace(/[\x00-\x1f\x7f-\xff]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
