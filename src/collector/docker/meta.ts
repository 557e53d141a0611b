/** A container's identity as the collector keeps it, read from a Docker inspect answer. */
import type { ContainerMeta } from '../types.ts';
import { type DockerContainerInspect, stringMap } from './api-types.ts';

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {});

/**
 * {@link ContainerMeta} from `GET /containers/{id}/json`, as cAdvisor reads it: `Name` without its leading `/`,
 * `Config.Image` as typed, `Config.Labels`, `State.Pid` (0 unless running), `Created`, `State.StartedAt` (the
 * creation time when the container never started), `State.Health.Status` (`healthy` 1, none or `''` −1, any
 * other 0) and `RestartCount`. Missing or mistyped fields give `''`, `{}` or 0; never throws. The result is
 * frozen.
 */
export function metaFromInspect(c: DockerContainerInspect): ContainerMeta {
  const state = obj(c.State);
  const config = obj(c.Config);
  const createdMs = timeMs(c.Created);
  const startedMs = timeMs(state.StartedAt);
  const pid = state.Running === false ? 0 : nonNegativeInt(state.Pid);
  return Object.freeze({
    name: typeof c.Name === 'string' ? c.Name.replace(/^\//, '') : '',
    image: typeof config.Image === 'string' ? config.Image : '',
    labels: Object.freeze(stringMap(config.Labels)),
    pid,
    createdMs,
    startedMs: startedMs > 0 ? startedMs : createdMs,
    health: healthOf(obj(state.Health).Status),
    restartCount: nonNegativeInt(c.RestartCount),
  });
}

/** Same content (labels compared key by key). */
export function sameMeta(a: ContainerMeta, b: ContainerMeta): boolean {
  if (
    a.name !== b.name ||
    a.image !== b.image ||
    a.pid !== b.pid ||
    a.createdMs !== b.createdMs ||
    a.startedMs !== b.startedMs ||
    a.health !== b.health ||
    a.restartCount !== b.restartCount
  ) {
    return false;
  }
  const ka = Object.keys(a.labels);
  if (ka.length !== Object.keys(b.labels).length) return false;
  return ka.every((k) => Object.hasOwn(b.labels, k) && a.labels[k] === b.labels[k]);
}

function healthOf(status: unknown): 1 | 0 | -1 {
  if (status === 'healthy') return 1;
  if (status === undefined || status === null || status === '' || status === 'none') return -1;
  return 0;
}

/** RFC 3339 (nanoseconds allowed) or Unix seconds; Go's zero time (`0001-01-01T00:00:00Z`) and junk give 0. */
function timeMs(v: unknown): number {
  if (typeof v === 'number') return Number.isFinite(v) && v > 0 ? Math.floor(v * 1000) : 0;
  if (typeof v !== 'string') return 0;
  const t = Date.parse(v);
  return Number.isFinite(t) && t > 0 ? t : 0;
}

function nonNegativeInt(v: unknown): number {
  return typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : 0;
}
