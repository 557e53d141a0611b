import type { MetricFamily } from '../../exposition/index.ts';
import { Labels } from '../../model/index.ts';
import { family, push } from './families.ts';
import { parseHex } from './softnet.ts';

/** Sums the `tx_queue:rx_queue` column (hex) of /proc/net/udp or udp6; null for a malformed table. */
export function sumUdpQueues(text: string): { tx: number; rx: number } | null {
  let tx = 0;
  let rx = 0;
  const lines = text.split('\n');
  for (let i = 1; i < lines.length; i++) {
    const cols = (lines[i] as string).trim().split(/\s+/);
    if (cols.length < 5) continue;
    const q = cols[4] as string;
    const colon = q.indexOf(':');
    if (colon < 0) return null;
    tx += parseHex(q, 0, colon);
    rx += parseHex(q, colon + 1, q.length);
  }
  return { tx, rx };
}

const labels = {
  v4: {
    tx: Labels.fromSortedFlat(['ip', 'v4', 'queue', 'tx']),
    rx: Labels.fromSortedFlat(['ip', 'v4', 'queue', 'rx']),
  },
  v6: {
    tx: Labels.fromSortedFlat(['ip', 'v6', 'queue', 'tx']),
    rx: Labels.fromSortedFlat(['ip', 'v6', 'queue', 'rx']),
  },
};

/** node_exporter's udp_queues collector: node_udp_queues{ip,queue}, bytes queued in UDP sockets. */
export function collectUdpQueues(v4: string | null, v6: string | null, out: MetricFamily[]): void {
  const f = family('node_udp_queues', 'gauge', 'Number of allocated memory in the kernel for UDP datagrams in bytes.');
  for (const [text, l] of [
    [v4, labels.v4],
    [v6, labels.v6],
  ] as const) {
    if (text === null) continue;
    const s = sumUdpQueues(text);
    if (s === null) continue;
    push(f, l.tx, s.tx);
    push(f, l.rx, s.rx);
  }
  if (f.samples.length > 0) out.push(f);
}
