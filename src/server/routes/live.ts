/**
 * The live-stats API (what the UI's container pages draw every second) and cAdvisor's REST subset:
 * `/api/v1/live/containers`, `/api/v1/live/containers/<cgroup path>`, `/api/v1/live/processes/<cgroup path>`, the
 * Server-Sent Events stream `/api/v1/live/stream` (every container's summary each pass, or with
 * `?container=<cgroup path>` that container's new points), `/api/v1.3/machine`, `/api/v1.3/containers/<path>`,
 * `/api/v2.0/stats/<path>`.
 */
import { sendData, sendJson } from '../context.ts';
import { HttpError } from '../errors.ts';
import type { Route } from '../router.ts';

/** What the routes need from the collector (its LiveApi satisfies it). */
export interface LiveBackend {
  summaries(): unknown[];
  /** The container's newest summary and its ring's points with timestamps >= `sinceMs`; undefined when unknown. */
  history(id: string, sinceMs: number): { summary: unknown; points: { t: number }[] } | undefined;
  /** The container's process table read now (bounded by the backend); undefined when unknown. */
  processes(id: string): Promise<unknown | undefined>;
  subscribe(listener: () => void): () => void;
  machine(): unknown;
  container(id: string, numStats: number): unknown | undefined;
  statsV2(id: string, count: number, recursive: boolean): Record<string, unknown> | undefined;
}

/** Most live streams open at once; more get 503 (each costs a summary per second). */
const maxStreams = 64;

export function liveRoutes(live: () => LiveBackend | undefined): Route[] {
  const backend = (): LiveBackend => {
    const b = live();
    if (b === undefined) throw new HttpError(503, 'unavailable', 'the collector is not running');
    return b;
  };
  const idOf = (rest: string | undefined) => `/${rest ?? ''}`.replace(/\/+$/, '') || '/';
  const intParam = (url: URL, name: string, def: number, max: number): number => {
    const raw = url.searchParams.get(name);
    if (raw === null || raw === '') return def;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < -1) throw new HttpError(400, 'bad_data', `invalid ${name} ${JSON.stringify(raw)}`);
    return n === -1 ? max : Math.min(n, max);
  };
  let streams = 0;
  return [
    {
      method: 'GET',
      pattern: '/api/v1/live/containers',
      access: 'user',
      handle: ({ res }) => sendData(res, backend().summaries()),
    },
    {
      method: 'GET',
      pattern: '/api/v1/live/containers/*',
      access: 'user',
      handle({ res, params, url }) {
        const sinceRaw = url.searchParams.get('since');
        const since = sinceRaw === null || sinceRaw === '' ? Number.NEGATIVE_INFINITY : Number(sinceRaw);
        if (Number.isNaN(since)) throw new HttpError(400, 'bad_data', `invalid since ${JSON.stringify(sinceRaw)}`);
        const h = backend().history(idOf(params['*']), since);
        if (h === undefined) throw new HttpError(404, 'not_found', `no container ${idOf(params['*'])}`);
        sendData(res, h);
      },
    },
    {
      method: 'GET',
      pattern: '/api/v1/live/processes/*',
      // Command lines can carry secrets (passwords in arguments): admins only.
      access: 'admin',
      async handle({ res, params }) {
        const id = idOf(params['*']);
        const list = await backend().processes(id);
        if (list === undefined) throw new HttpError(404, 'not_found', `no container ${id}`);
        sendData(res, list);
      },
    },
    {
      method: 'GET',
      pattern: '/api/v1/live/stream',
      access: 'user',
      handle({ req, res, url }) {
        const b = backend();
        const container = url.searchParams.get('container');
        const id = container === null ? null : idOf(container.replace(/^\/+/, ''));
        /** With `?container=`: the newest point sent (first `?since=`), so that each event carries only newer ones. */
        let sentMs = Number(url.searchParams.get('since') || Number.NEGATIVE_INFINITY);
        if (Number.isNaN(sentMs)) throw new HttpError(400, 'bad_data', 'invalid since');
        if (streams >= maxStreams) throw new HttpError(503, 'unavailable', 'too many live streams open');
        streams++;
        res.writeHead(200, {
          'Content-Type': 'text/event-stream; charset=utf-8',
          'Cache-Control': 'no-store',
          Connection: 'keep-alive',
          'X-Accel-Buffering': 'no',
        });
        const send = () => {
          if (res.writableNeedDrain) return; // a slow client skips passes rather than piling them up
          if (id === null) {
            res.write(`event: containers\ndata: ${JSON.stringify(b.summaries())}\n\n`);
            return;
          }
          const h = b.history(id, sentMs + 1);
          const last = h?.points[h.points.length - 1];
          if (h === undefined || last === undefined) return;
          sentMs = last.t;
          res.write(`event: container\ndata: ${JSON.stringify(h)}\n\n`);
        };
        send();
        const unsubscribe = b.subscribe(send);
        const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
        let done = false;
        const end = () => {
          if (done) return;
          done = true;
          streams--;
          unsubscribe();
          clearInterval(heartbeat);
        };
        req.on('close', end);
        res.on('close', end);
      },
    },
    {
      method: 'GET',
      pattern: '/api/v1.3/machine',
      access: 'user',
      handle: ({ res }) => sendJson(res, 200, backend().machine()),
    },
    {
      method: 'GET',
      pattern: '/api/v1.3/containers/*',
      access: 'user',
      handle({ res, params, url }) {
        const id = idOf(params['*']);
        const info = backend().container(id, intParam(url, 'num_stats', 60, 100_000));
        if (info === undefined) throw new HttpError(404, 'not_found', `unknown container "${id}"`);
        sendJson(res, 200, info);
      },
    },
    {
      method: 'GET',
      pattern: '/api/v1.3/containers',
      access: 'user',
      handle({ res, url }) {
        const info = backend().container('/', intParam(url, 'num_stats', 60, 100_000));
        if (info === undefined) throw new HttpError(404, 'not_found', 'unknown container "/"');
        sendJson(res, 200, info);
      },
    },
    {
      method: 'GET',
      pattern: '/api/v2.0/stats/*',
      access: 'user',
      handle({ res, params, url }) {
        const id = idOf(params['*']);
        const stats = backend().statsV2(
          id,
          intParam(url, 'count', 64, 100_000),
          url.searchParams.get('recursive') === 'true',
        );
        if (stats === undefined) throw new HttpError(404, 'not_found', `unknown container "${id}"`);
        sendJson(res, 200, stats);
      },
    },
  ];
}
