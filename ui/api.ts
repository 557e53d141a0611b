/** The browser's side of vigil's HTTP APIs: same-origin fetches with the session cookie and the CSRF header. */

/** The signed-in user as `GET /api/vigil/session` returns it. */
export interface Session {
  user: string;
  role: string;
  csrfToken: string | null;
}

/** An API call that failed: `message` is the server's error text (PromQL errors keep their `line:col:` prefix). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly errorType: string,
    message: string,
  ) {
    super(message);
  }
}

let csrfToken: string | null = null;

/** Remembers the session's CSRF token for state-changing requests. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Sends the request with the CSRF header on unsafe methods; a 401 sends the browser to the login page. */
export async function apiFetch(input: string, init: RequestInit = {}): Promise<Response> {
  const method = (init.method ?? 'GET').toUpperCase();
  const headers = new Headers(init.headers);
  if (method !== 'GET' && method !== 'HEAD' && csrfToken !== null) headers.set('X-CSRF-Token', csrfToken);
  const res = await fetch(input, { ...init, headers, credentials: 'same-origin' });
  if (res.status === 401) {
    location.assign(`/login?next=${encodeURIComponent(location.pathname + location.search)}`);
  }
  return res;
}

/** GETs `path` with `params` and unwraps Prometheus' `{status, data}` envelope. Throws ApiError. */
export async function getData<T>(path: string, params: Record<string, string> = {}, signal?: AbortSignal): Promise<T> {
  const qs = new URLSearchParams(params).toString();
  const res = await apiFetch(qs === '' ? path : `${path}?${qs}`, signal ? { signal } : {});
  let body: { status?: string; data?: T; error?: string; errorType?: string };
  try {
    body = await res.json();
  } catch {
    throw new ApiError(res.status, 'bad_response', `${res.status} ${res.statusText}`);
  }
  if (!res.ok || body.status !== 'success') {
    throw new ApiError(res.status, body.errorType ?? 'error', body.error ?? `${res.status} ${res.statusText}`);
  }
  return body.data as T;
}

export function getSession(): Promise<Session> {
  return getData<Session>('/api/vigil/session');
}

export async function logout(): Promise<void> {
  await apiFetch('/api/vigil/logout', { method: 'POST' });
  location.assign('/login');
}

/** A container's newest figures, as `/api/v1/live/containers` and the stream send them (src/collector/live.ts). */
export interface LiveSummary {
  id: string;
  name: string;
  image: string;
  labels: Record<string, string>;
  timestamp: number;
  cpuCores: number | null;
  cpuThrottledPeriodsPerSecond: number | null;
  memoryUsageBytes: number | null;
  memoryWorkingSetBytes: number | null;
  memoryCacheBytes: number | null;
  memoryLimitBytes: number | null;
  networkRxBytesPerSecond: number | null;
  networkTxBytesPerSecond: number | null;
  diskReadBytesPerSecond: number | null;
  diskWriteBytesPerSecond: number | null;
  processes: number | null;
  threads: number | null;
  fileDescriptors: number | null;
  sockets: number | null;
}

/** One pass of a container's live ring with rates (src/collector/live.ts' LivePoint); `t` in Unix ms. */
export interface LivePoint {
  t: number;
  cpuCores: number | null;
  /** Cores busy per CPU, index = CPU number; null without per-CPU figures. */
  cpuPerCore: (number | null)[] | null;
  cpuThrottledPeriodsPerSecond: number | null;
  memoryUsageBytes: number | null;
  memoryWorkingSetBytes: number | null;
  memoryCacheBytes: number | null;
  networkRxBytesPerSecond: number | null;
  networkTxBytesPerSecond: number | null;
  network: { name: string; rxBytesPerSecond: number | null; txBytesPerSecond: number | null }[];
  diskReadBytesPerSecond: number | null;
  diskWriteBytesPerSecond: number | null;
  processes: number | null;
  threads: number | null;
}

/** `/api/v1/live/processes/<id>` (src/collector/proc/process-table.ts' ProcessList). */
export interface ProcessList {
  timestamp: number;
  intervalMs: number;
  total: number;
  truncated: boolean;
  processes: {
    pid: number;
    ppid: number;
    command: string;
    user: string;
    state: string;
    /** Percent of one core; null when not measured. */
    cpuPercent: number | null;
    rssBytes: number;
    threads: number;
  }[];
}

/** The error text of a failed answer: Alertmanager's JSON string or `{code, message}`, or vigil's `{error}`. */
function errorText(res: Response, body: unknown): string {
  if (typeof body === 'string' && body !== '') return body;
  if (body !== null && typeof body === 'object') {
    const b = body as { message?: unknown; error?: unknown };
    if (typeof b.message === 'string') return b.message;
    if (typeof b.error === 'string') return b.error;
  }
  return `${res.status} ${res.statusText}`;
}

/**
 * Sends a request to an API that answers bare JSON (Alertmanager's API v2) and returns the parsed body, or
 * `undefined` for an empty one. `body` is sent as JSON. Throws ApiError with the server's error text.
 */
export async function fetchJson<T>(
  path: string,
  init: { method?: string; body?: unknown; signal?: AbortSignal } = {},
): Promise<T> {
  const res = await apiFetch(path, {
    method: init.method ?? 'GET',
    ...(init.body === undefined
      ? {}
      : { body: JSON.stringify(init.body), headers: { 'Content-Type': 'application/json' } }),
    ...(init.signal ? { signal: init.signal } : {}),
  });
  const text = await res.text();
  let body: unknown;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = text;
  }
  if (!res.ok) {
    const type = body !== null && typeof body === 'object' ? (body as { errorType?: unknown }).errorType : undefined;
    throw new ApiError(res.status, typeof type === 'string' ? type : 'error', errorText(res, body));
  }
  return body as T;
}
