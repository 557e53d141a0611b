/** The data results of a transaction: the interruption and the security event. */
import type { RuleMatch } from './match.ts';
import { severities } from './rule.ts';
import type { TxState } from './state.ts';

/** The verdict of a transaction that must not reach (or leave) the application. */
export interface Interruption {
  /** HTTP status to answer with (`status:` of the rule, 403 by default). */
  readonly status: number;
  /** The rule that decided; 0 when the engine itself did (a body past SecRequestBodyLimit). */
  readonly ruleId: number;
  readonly phase: number;
  readonly action: 'deny' | 'drop' | 'redirect';
}

/** One matched rule in a security event. */
export interface EventRule {
  readonly id: number;
  readonly msg: string;
  readonly data: string;
  readonly severity: string;
  readonly tags: readonly string[];
  readonly phase: number;
}

/** What a transaction that matched rules leaves for the event store, notifications and reports. */
export interface SecurityEvent {
  /** Milliseconds since the epoch, when the transaction started. */
  readonly timeMs: number;
  readonly site: string;
  readonly clientIp: string;
  readonly method: string;
  readonly uri: string;
  /** The status sent (the interruption's, or the response's; 0 when no response was seen). */
  readonly status: number;
  readonly action: 'blocked' | 'detected';
  readonly rules: readonly EventRule[];
  readonly inboundScore: number;
  readonly outboundScore: number;
  readonly requestId: string;
}

/** Builds the event from the logged matches; null when there are none and nothing interrupted. */
export function buildEvent(
  matches: readonly RuleMatch[],
  state: TxState,
  t: {
    timeMs: number;
    site: string;
    clientIp: string;
    requestId: string;
    interruption: Interruption | null;
    responseStatus: number;
  },
): SecurityEvent | null {
  if (matches.length === 0 && t.interruption === null) return null;
  const tx = state.tx;
  const score = (a: string, b: string) => Number(tx.get(a) ?? tx.get(b) ?? 0) || 0;
  return {
    timeMs: t.timeMs,
    site: t.site,
    clientIp: t.clientIp,
    method: state.scalar('REQUEST_METHOD'),
    uri: state.scalar('REQUEST_URI'),
    status: t.interruption?.status ?? t.responseStatus,
    action: t.interruption !== null ? 'blocked' : 'detected',
    rules: matches
      .filter((m, i) => matches.findIndex((x) => x.id === m.id) === i)
      .map((m) => ({
        id: m.id,
        msg: m.msg,
        data: m.data,
        severity: m.severity === undefined ? '' : (severities[m.severity] ?? ''),
        tags: m.tags,
        phase: m.phase,
      })),
    inboundScore: score('blocking_inbound_anomaly_score', 'inbound_anomaly_score'),
    outboundScore: score('blocking_outbound_anomaly_score', 'outbound_anomaly_score'),
    requestId: t.requestId,
  };
}
