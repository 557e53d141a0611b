/**
 * `POST /api/v1/security/events`: security events sent by a `vigil gateway` on an edge host (its
 * `gateway.events_to`), stored as the events of a local gateway are. Body: `{"events": [event, …]}`, each event
 * in the gateway's shape (src/gateway/inspector.ts SecurityEvent). Every field is checked; the first bad one
 * refuses the whole batch with a 400 naming it (`events[3].matches[0].id: …`), so a batch is stored whole or
 * not at all. An event already stored (same request id and time) is skipped: the sender retries until it gets
 * an answer, so a batch may arrive twice. Answers `{"status":"success","data":{"received":N,"stored":M}}`.
 */
import type { Store } from '../../store/index.ts';
import { sendData } from '../context.ts';
import { HttpError } from '../errors.ts';
import type { Route } from '../router.ts';

/** Largest body accepted (a gateway sends at most a few hundred events per request). */
export const maxIngestBodyBytes = 8 * 1024 * 1024;
const maxEvents = 1000;
const maxMatches = 500;
const maxTags = 64;
const maxText = 8192;

interface IngestedMatch {
  id: number;
  phase: number;
  msg: string;
  data: string;
  severity: string;
  tags: string[];
}

export interface IngestedEvent {
  timeMs: number;
  requestId: string;
  site: string;
  clientIp: string;
  method: string;
  uri: string;
  status: number;
  action: 'blocked' | 'detected';
  matches: IngestedMatch[];
  anomaly: { inbound: number; outbound: number };
}

function fail(path: string, expected: string): never {
  throw new HttpError(400, 'bad_data', `${path}: expected ${expected}`);
}

function object(v: unknown, path: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(path, 'an object');
  return v as Record<string, unknown>;
}

function text(o: Record<string, unknown>, key: string, path: string, max = maxText): string {
  const v = o[key];
  if (typeof v !== 'string' || v.length > max) fail(`${path}.${key}`, `a string of at most ${max} characters`);
  return v;
}

function int(o: Record<string, unknown>, key: string, path: string, min: number, max: number): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    fail(`${path}.${key}`, `an integer from ${min} to ${max}`);
  }
  return v;
}

function match(v: unknown, path: string): IngestedMatch {
  const o = object(v, path);
  const tags = o.tags;
  if (!Array.isArray(tags) || tags.length > maxTags || tags.some((t) => typeof t !== 'string' || t.length > 256)) {
    fail(`${path}.tags`, `a list of at most ${maxTags} strings`);
  }
  return {
    id: int(o, 'id', path, 1, 4_294_967_295),
    phase: int(o, 'phase', path, 1, 5),
    msg: text(o, 'msg', path),
    data: text(o, 'data', path),
    severity: text(o, 'severity', path, 32),
    tags: tags as string[],
  };
}

/** One event of a batch, checked field by field. Throws HttpError (400) naming the first bad field. */
export function ingestedEvent(v: unknown, path: string): IngestedEvent {
  const o = object(v, path);
  const action = o.action;
  if (action !== 'blocked' && action !== 'detected') fail(`${path}.action`, '"blocked" or "detected"');
  const matches = o.matches;
  if (!Array.isArray(matches) || matches.length > maxMatches)
    fail(`${path}.matches`, `a list of at most ${maxMatches}`);
  const anomaly = object(o.anomaly, `${path}.anomaly`);
  return {
    timeMs: int(o, 'timeMs', path, 0, 8_640_000_000_000_000),
    requestId: text(o, 'requestId', path, 128),
    site: text(o, 'site', path, 253),
    clientIp: text(o, 'clientIp', path, 64),
    method: text(o, 'method', path, 64),
    uri: text(o, 'uri', path),
    status: int(o, 'status', path, 0, 999),
    action,
    matches: matches.map((m, i) => match(m, `${path}.matches[${i}]`)),
    anomaly: {
      inbound: int(anomaly, 'inbound', `${path}.anomaly`, 0, 1_000_000),
      outbound: int(anomaly, 'outbound', `${path}.anomaly`, 0, 1_000_000),
    },
  };
}

/** Parses and checks a batch. Throws HttpError (400). */
export function ingestedBatch(body: Buffer): IngestedEvent[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch (err) {
    throw new HttpError(400, 'bad_data', `the body is not JSON: ${(err as Error).message}`);
  }
  const events = object(parsed, 'body').events;
  if (!Array.isArray(events) || events.length > maxEvents) fail('events', `a list of at most ${maxEvents} events`);
  return events.map((e, i) => ingestedEvent(e, `events[${i}]`));
}

/** Receives the events of a batch after they are stored (each event once, however often it was sent). */
export interface IngestedEventSink {
  emit(event: IngestedEvent): void;
}

export function securityIngestRoutes(store: Store, sink?: IngestedEventSink): Route[] {
  return [
    {
      method: 'POST',
      pattern: '/api/v1/security/events',
      access: 'admin',
      maxBodyBytes: maxIngestBodyBytes,
      async handle({ res, body }) {
        const events = ingestedBatch(await body());
        const stored = store.securityEvents.insertEvents(events, sink === undefined ? undefined : (e) => sink.emit(e));
        sendData(res, { received: events.length, stored });
      },
    },
  ];
}
