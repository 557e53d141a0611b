import type { MetricFamily } from '../../exposition/index.ts';
import { single } from './families.ts';
import { parseHex } from './softnet.ts';

/** The per-CPU columns of /proc/net/stat/nf_conntrack node_exporter sums, with their families' help. */
const statColumns: readonly (readonly [string, string])[] = [
  ['found', 'Number of searched entries which were successful.'],
  ['invalid', 'Number of packets seen which can not be tracked.'],
  ['ignore', 'Number of packets seen which are already connected to a conntrack entry.'],
  ['insert', 'Number of entries inserted into the list.'],
  ['insert_failed', 'Number of entries for which list insertion was attempted but failed.'],
  ['drop', 'Number of packets dropped due to conntrack failure.'],
  ['early_drop', 'Number of dropped conntrack entries to make room for new ones, if maximum table size was reached.'],
  ['search_restart', 'Number of conntrack table lookups which had to be restarted due to hashtable resizes.'],
];

/** Sums the named hex columns of /proc/net/stat/nf_conntrack over its per-CPU lines (header names the columns). */
export function sumConntrackStats(text: string): Map<string, number> {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const names = (lines[0] ?? '').trim().split(/\s+/);
  const out = new Map<string, number>();
  for (const line of lines.slice(1)) {
    const cols = line.trim().split(/\s+/);
    cols.forEach((c, i) => {
      const name = names[i];
      if (name !== undefined) out.set(name, (out.get(name) ?? 0) + parseHex(c, 0, c.length));
    });
  }
  return out;
}

/**
 * node_exporter's conntrack collector: node_nf_conntrack_entries, _entries_limit and _stat_*. Nothing when the
 * conntrack module is not loaded (its files are absent), as node_exporter.
 */
export function collectConntrack(
  count: string | null,
  max: string | null,
  stat: string | null,
  out: MetricFamily[],
): void {
  if (count === null || max === null) return;
  const n = Number(count.trim());
  const m = Number(max.trim());
  if (!Number.isFinite(n) || !Number.isFinite(m)) return;
  out.push(
    single(
      'node_nf_conntrack_entries',
      'gauge',
      'Number of currently allocated flow entries for connection tracking.',
      n,
    ),
  );
  out.push(single('node_nf_conntrack_entries_limit', 'gauge', 'Maximum size of connection tracking table.', m));
  if (stat === null) return;
  const sums = sumConntrackStats(stat);
  for (const [col, help] of statColumns) {
    const v = sums.get(col);
    if (v !== undefined) out.push(single(`node_nf_conntrack_stat_${col}`, 'gauge', help, v));
  }
}
