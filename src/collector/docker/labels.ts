/** cAdvisor's `container_label_*` labels. */
import type { ContainerMeta } from '../types.ts';

export const containerLabelPrefix = 'container_label_';

/** Every character outside `[A-Za-z0-9_]` (a whole code point, as Go's regexp sees it) becomes `_`. */
export function sanitizeLabelName(key: string): string {
  return key.replace(/[^A-Za-z0-9_]/gu, '_');
}

const cache = new WeakMap<
  ContainerMeta,
  { allowlist: readonly string[] | 'all'; labels: Readonly<Record<string, string>> }
>();

/**
 * The `container_label_<key>` labels of a container, as cAdvisor builds them: one per Docker label, key
 * sanitized by {@link sanitizeLabelName}; `restartcount` (the restart count) added when it is above 0, replacing a
 * Docker label of that name. `allowlist` is `'all'` (cAdvisor's `--store_container_labels=true`) or the raw
 * Docker keys to keep (`--whitelisted_container_labels`; list `restartcount` to keep that one). When two keys
 * sanitize to the same name only the first in code-unit order of the raw keys is kept (cAdvisor keeps whichever
 * its map iteration meets first, which varies between scrapes). Returns a frozen object with names in sorted
 * order; the same object for the same `meta` and `allowlist` (reference-equal), so callers may cache on it.
 */
export function containerLabels(
  meta: ContainerMeta,
  allowlist: readonly string[] | 'all',
): Readonly<Record<string, string>> {
  const hit = cache.get(meta);
  if (hit !== undefined && hit.allowlist === allowlist) return hit.labels;
  const raw: Record<string, string> = { ...meta.labels };
  if (meta.restartCount > 0) raw.restartcount = String(meta.restartCount);
  const allowed = allowlist === 'all' ? undefined : new Set(allowlist);
  const keys = Object.keys(raw)
    .filter((k) => allowed === undefined || allowed.has(k))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const byName = new Map<string, string>();
  for (const k of keys) {
    const name = containerLabelPrefix + sanitizeLabelName(k);
    if (!byName.has(name)) byName.set(name, raw[k] as string);
  }
  const labels: Record<string, string> = {};
  for (const name of [...byName.keys()].sort()) labels[name] = byName.get(name) as string;
  Object.freeze(labels);
  cache.set(meta, { allowlist, labels });
  return labels;
}
