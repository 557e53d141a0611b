import type { MetricFamily } from '../../exposition/index.ts';
import { family, push } from './families.ts';
import { LabelsCache } from './labels-cache.ts';

/** Entries of /proc/net/arp per device (the last column), in first-seen order. */
export function countArpEntries(text: string): Map<string, number> {
  const out = new Map<string, number>();
  const lines = text.split('\n');
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] as string;
    const sp = line.lastIndexOf(' ');
    if (line.trim() === '' || sp < 0) continue;
    const device = line.slice(sp + 1).trim();
    if (device !== '') out.set(device, (out.get(device) ?? 0) + 1);
  }
  return out;
}

/** node_exporter's arp collector: node_arp_entries by device. */
export class ArpCollector {
  private readonly labels = new LabelsCache();

  collect(text: string, out: MetricFamily[]): void {
    const f = family('node_arp_entries', 'gauge', 'ARP entries by device');
    for (const [device, n] of countArpEntries(text)) push(f, this.labels.one('device', device), n);
    this.labels.sweep();
    if (f.samples.length > 0) out.push(f);
  }
}
