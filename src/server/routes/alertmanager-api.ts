/**
 * Alertmanager's API v2 under `/api/v2`: alerts (post, list, groups), silences (list, create or update, get,
 * expire), status and receivers — so Prometheus' `alerting.alertmanagers`, amtool and Grafana work against
 * vigil. The semantics live in the alerting module; this file reads bodies and writes its answers.
 */
import type { ServerResponse } from 'node:http';
import { HttpError } from '../errors.ts';
import type { Route } from '../router.ts';

/** An answer from the backend: a status and a JSON body; `undefined` means an empty body. */
export interface AlertmanagerAnswer {
  readonly status: number;
  readonly body: unknown;
}

/** What the routes need from the alerting module (its Alertmanager satisfies it). */
export interface AlertmanagerBackend {
  postAlerts(text: string): AlertmanagerAnswer;
  getAlerts(params: URLSearchParams): AlertmanagerAnswer;
  getAlertGroups(params: URLSearchParams): AlertmanagerAnswer;
  getSilences(params: URLSearchParams): AlertmanagerAnswer;
  postSilence(text: string): AlertmanagerAnswer;
  getSilence(id: string): AlertmanagerAnswer;
  deleteSilence(id: string): AlertmanagerAnswer;
  getStatus(): AlertmanagerAnswer;
  getReceivers(): AlertmanagerAnswer;
}

/** Largest alerts body: Prometheus sends batches of up to 64 alerts, a bulk import more. */
const maxAlertsBody = 32 << 20;
const maxSilenceBody = 1 << 20;

function send(res: ServerResponse, a: AlertmanagerAnswer): void {
  if (a.body === undefined) {
    res.writeHead(a.status, { 'Content-Length': 0 });
    res.end();
    return;
  }
  const text = `${JSON.stringify(a.body)}\n`;
  res.writeHead(a.status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

export function alertmanagerRoutes(backend: () => AlertmanagerBackend | undefined): Route[] {
  const am = (): AlertmanagerBackend => {
    const b = backend();
    if (b === undefined) throw new HttpError(503, 'unavailable', 'alerting is not running');
    return b;
  };
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  const silenceId = (id: string | undefined, res: ServerResponse): string | undefined => {
    if (id !== undefined && uuid.test(id)) return id;
    send(res, { status: 422, body: { code: 601, message: `silenceID in path must be of type uuid: "${id ?? ''}"` } });
    return undefined;
  };
  return [
    {
      method: 'POST',
      pattern: '/api/v2/alerts',
      access: 'admin',
      maxBodyBytes: maxAlertsBody,
      async handle({ res, body }) {
        send(res, am().postAlerts((await body()).toString('utf8')));
      },
    },
    {
      method: 'GET',
      pattern: '/api/v2/alerts',
      access: 'user',
      handle: ({ res, url }) => send(res, am().getAlerts(url.searchParams)),
    },
    {
      method: 'GET',
      pattern: '/api/v2/alerts/groups',
      access: 'user',
      handle: ({ res, url }) => send(res, am().getAlertGroups(url.searchParams)),
    },
    {
      method: 'GET',
      pattern: '/api/v2/silences',
      access: 'user',
      handle: ({ res, url }) => send(res, am().getSilences(url.searchParams)),
    },
    {
      method: 'POST',
      pattern: '/api/v2/silences',
      access: 'admin',
      maxBodyBytes: maxSilenceBody,
      async handle({ res, body }) {
        send(res, am().postSilence((await body()).toString('utf8')));
      },
    },
    {
      method: 'GET',
      pattern: '/api/v2/silence/:id',
      access: 'user',
      handle({ res, params }) {
        const id = silenceId(params.id, res);
        if (id !== undefined) send(res, am().getSilence(id));
      },
    },
    {
      method: 'DELETE',
      pattern: '/api/v2/silence/:id',
      access: 'admin',
      handle({ res, params }) {
        const id = silenceId(params.id, res);
        if (id !== undefined) send(res, am().deleteSilence(id));
      },
    },
    { method: 'GET', pattern: '/api/v2/status', access: 'user', handle: ({ res }) => send(res, am().getStatus()) },
    {
      method: 'GET',
      pattern: '/api/v2/receivers',
      access: 'user',
      handle: ({ res }) => send(res, am().getReceivers()),
    },
  ];
}
