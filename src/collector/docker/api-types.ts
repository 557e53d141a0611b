/**
 * The parts of Docker Engine API answers this client reads, and checks that turn decoded JSON into them. Only
 * fields stable across API versions (1.24 to 1.51) and podman's compat API are used, so paths stay unversioned.
 */

/** `GET /version`. Strings are `''` when the daemon leaves them out. */
export interface DockerVersion {
  /** Engine version, `20.10.24+dfsg1`. */
  readonly version: string;
  /** Highest API version the daemon speaks, `1.41`. */
  readonly apiVersion: string;
  readonly minApiVersion: string;
  readonly os: string;
  readonly arch: string;
  readonly kernelVersion: string;
}

/** One entry of `GET /containers/json`. */
export interface DockerContainerSummary {
  /** 64-hex id. */
  readonly id: string;
  /** Names with their leading `/`. */
  readonly names: readonly string[];
  readonly image: string;
  readonly labels: Readonly<Record<string, string>>;
  /** `running`, `paused`, `exited`… */
  readonly state: string;
  /** Unix ms (the API gives seconds). */
  readonly createdMs: number;
}

/**
 * `GET /containers/{id}/json`, checked only to be an object with a string `Id`; the fields `metaFromInspect`
 * reads are typed loosely because daemons differ in what they fill in.
 */
export interface DockerContainerInspect {
  readonly Id: string;
  readonly Name?: unknown;
  readonly Created?: unknown;
  readonly RestartCount?: unknown;
  readonly State?: unknown;
  readonly Config?: unknown;
  readonly [field: string]: unknown;
}

/** One event of `GET /events`, normalized across API versions. */
export interface DockerEvent {
  /** `container`, `image`, `network`… */
  readonly type: string;
  /** `start`, `die`, `destroy`, `rename`, `health_status: healthy`… (as sent, with any `: detail`). */
  readonly action: string;
  /** The object's id (a container's 64-hex id). */
  readonly id: string;
  readonly attributes: Readonly<Record<string, string>>;
  /** Unix ms; 0 when the daemon sent no time. */
  readonly timeMs: number;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** String-valued entries of a JSON object (Docker's label maps); anything else gives `{}`. */
export function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isObject(v)) return out;
  for (const [k, x] of Object.entries(v)) {
    if (typeof x !== 'string') continue;
    // A label named `__proto__` is data, not the prototype.
    if (k === '__proto__')
      Object.defineProperty(out, k, { value: x, enumerable: true, writable: true, configurable: true });
    else out[k] = x;
  }
  return out;
}

export function versionFrom(v: unknown): DockerVersion | undefined {
  if (!isObject(v)) return undefined;
  return {
    version: str(v.Version),
    apiVersion: str(v.ApiVersion),
    minApiVersion: str(v.MinAPIVersion),
    os: str(v.Os),
    arch: str(v.Arch),
    kernelVersion: str(v.KernelVersion),
  };
}

/** Entries without a string `Id` are skipped. */
export function summariesFrom(v: unknown): DockerContainerSummary[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const out: DockerContainerSummary[] = [];
  for (const c of v) {
    if (!isObject(c) || typeof c.Id !== 'string') continue;
    out.push({
      id: c.Id,
      names: Array.isArray(c.Names) ? c.Names.filter((n): n is string => typeof n === 'string') : [],
      image: str(c.Image),
      labels: stringMap(c.Labels),
      state: str(c.State),
      createdMs: typeof c.Created === 'number' ? c.Created * 1000 : 0,
    });
  }
  return out;
}

export function inspectFrom(v: unknown): DockerContainerInspect | undefined {
  return isObject(v) && typeof v.Id === 'string' ? (v as DockerContainerInspect) : undefined;
}

/** Reads `Type`/`Action`/`Actor` (API ≥ 1.22), falling back to the old `status`/`id` fields. */
export function eventFrom(v: unknown): DockerEvent | undefined {
  if (!isObject(v)) return undefined;
  const actor = isObject(v.Actor) ? v.Actor : {};
  const id = str(actor.ID) || str(v.id);
  const action = str(v.Action) || str(v.status);
  if (id === '' || action === '') return undefined;
  const timeMs =
    typeof v.timeNano === 'number' ? Math.floor(v.timeNano / 1e6) : typeof v.time === 'number' ? v.time * 1000 : 0;
  return { type: str(v.Type) || 'container', action, id, attributes: stringMap(actor.Attributes), timeMs };
}
