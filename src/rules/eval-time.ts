/**
 * When a group evaluates: at `offset + k × interval`, where the offset (in [0, interval)) comes from the hash
 * of the group's file and name, so groups spread over the interval and keep their phase across restarts
 * (Prometheus' `Group.EvalTimestamp`). Computed in nanoseconds, as upstream, then truncated to milliseconds.
 */
import { xxhash64 } from '../model/index.ts';

/** The hash of the label set `{file="…", name="…"}`, as Prometheus' `labels.Labels.Hash`. */
export function groupHash(file: string, name: string): bigint {
  return xxhash64(Buffer.from(`file\xff${file}\xffname\xff${name}\xff`, 'utf8'));
}

/** The latest evaluation time of the group at or before `nowMs` (Unix ms). */
export function evalTimestamp(file: string, name: string, intervalMs: number, nowMs: number): number {
  const interval = BigInt(intervalMs) * 1_000_000n;
  const offset = groupHash(file, name) % interval;
  const now = BigInt(Math.trunc(nowMs)) * 1_000_000n;
  const adjusted = now - offset;
  // Go's % keeps the sign of the dividend, as BigInt's does.
  const base = adjusted - (adjusted % interval);
  const next = base + offset;
  return Number(next / 1_000_000n);
}
