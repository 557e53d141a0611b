// Compares the host collector with a real prometheus-node-exporter (the Debian package, 1.5) on this machine: same
// family names, types and label sets, and close values. Skipped when the exporter is not installed.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { type MetricFamily, readFamilies } from '../../exposition/index.ts';
import { HostCollector } from './collect.ts';
import type { ProblemLog } from './problems.ts';

const bin = '/usr/bin/prometheus-node-exporter';
const skip = existsSync(bin) ? false : `${bin} is not installed (apt-get install prometheus-node-exporter)`;

/**
 * Families node_exporter emits that vigil's host collector does not, by prefix, with the reason. Anything else
 * node_exporter emits must come out of ours with the same type and label sets.
 */
const notOurs: readonly (readonly [string, string])[] = [
  ['go_', "the exporter's own Go runtime"],
  ['process_', "the exporter's own process"],
  ['promhttp_', "the exporter's own HTTP handler"],
  ['node_exporter_build_info', "the exporter's own build"],
  ['node_scrape_collector_', "the exporter's own collector timings"],
  ['node_textfile_', 'textfile collector: files written by other tools, not kernel data'],
  ['node_timex_', 'timex collector: needs the adjtimex(2) syscall, which Node cannot make'],
  ['node_systemd_', 'systemd collector (Debian enables it): needs D-Bus'],
  // Hardware and filesystem-specific collectors that emit only where the hardware or filesystem exists.
  ['node_hwmon_', 'hwmon: sensors'],
  ['node_thermal_zone_', 'thermal_zone'],
  ['node_cooling_device_', 'thermal_zone cooling devices'],
  ['node_power_supply_', 'powersupplyclass'],
  ['node_rapl_', 'rapl'],
  ['node_edac_', 'edac'],
  ['node_md_', 'mdadm'],
  ['node_nvme_', 'nvme'],
  ['node_bcache_', 'bcache'],
  ['node_btrfs_', 'btrfs'],
  ['node_xfs_', 'xfs'],
  ['node_zfs_', 'zfs'],
  ['node_nfs_', 'nfs client'],
  ['node_nfsd_', 'nfs server'],
  ['node_infiniband_', 'infiniband'],
  ['node_ipvs_', 'ipvs'],
  ['node_fibrechannel_', 'fibrechannel'],
  ['node_tape_', 'tapestats'],
  ['node_dmi_info', 'dmi'],
  ['node_bonding_', 'bonding'],
  ['node_schedstat_', 'schedstat'],
  ['node_cpu_frequency_', 'cpufreq'],
  ['node_cpu_scaling_', 'cpufreq'],
  ['node_cpu_core_throttles_total', 'cpu thermal throttles (bare metal only)'],
  ['node_cpu_package_throttles_total', 'cpu thermal throttles (bare metal only)'],
];

function excluded(name: string): string | null {
  for (const [prefix, why] of notOurs) if (name.startsWith(prefix)) return why;
  return null;
}

/** A free loopback port: bound, read, released. */
async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as { port: number }).port;
  await new Promise((resolve) => s.close(resolve));
  return port;
}

/** label-set key → value, per family name. */
type Index = Map<string, { type: string; series: Map<string, number> }>;

function index(families: readonly MetricFamily[]): Index {
  const out: Index = new Map();
  for (const f of families) {
    const series = new Map<string, number>();
    for (const s of f.samples) series.set(s.labels.toString(), s.value);
    out.set(f.name, { type: f.type, series });
  }
  return out;
}

/**
 * How close our value must be to theirs. Counters (and vmstat's untyped counters): ours, read right after theirs, is
 * ≥ theirs (minus a hundredth for float rounding) and within 5% + `slack` above it. Gauges: within 5% of the larger
 * or within `slack`. Info-like and inventory families: exact.
 */
function rule(name: string, type: string, memTotal: number): { kind: 'counter' | 'gauge' | 'exact'; slack: number } {
  if (name === 'node_boot_time_seconds' || name.endsWith('_info') || name === 'node_os_version') {
    return { kind: 'exact', slack: 0 };
  }
  if (name === 'node_filesystem_size_bytes' || name === 'node_filesystem_files') return { kind: 'exact', slack: 0 };
  if (/^node_memory_(MemTotal|SwapTotal|Hugepagesize|VmallocTotal)_bytes$/.test(name))
    return { kind: 'exact', slack: 0 };
  if (name.startsWith('node_load')) return { kind: 'gauge', slack: 0.5 };
  if (name === 'node_time_seconds') return { kind: 'gauge', slack: 10 };
  if (name === 'node_procs_running' || name === 'node_procs_blocked') return { kind: 'gauge', slack: 16 };
  if (name === 'node_filefd_allocated') return { kind: 'gauge', slack: 512 };
  if (name === 'node_entropy_available_bits') return { kind: 'gauge', slack: 256 };
  if (name === 'node_disk_io_now') return { kind: 'gauge', slack: 64 };
  // Small memory fields (Dirty, Writeback, AnonPages…) move by more than 5% between two reads.
  if (name.startsWith('node_memory_')) return { kind: 'gauge', slack: 0.01 * memTotal };
  if (name.startsWith('node_filesystem_')) return { kind: 'gauge', slack: 64 * 1024 * 1024 };
  // Sockets and connections open and close while the two are read (the scrape itself is one).
  if (/^node_(sockstat_|netstat_Tcp_CurrEstab$|nf_conntrack_entries$|arp_entries$)/.test(name)) {
    return { kind: 'gauge', slack: 64 };
  }
  if (name === 'node_udp_queues') return { kind: 'gauge', slack: 1024 * 1024 };
  if (name === 'node_netstat_Ip_Forwarding') return { kind: 'exact', slack: 0 };
  // Untyped or gauge in node_exporter, counters in the kernel.
  const kernelCounter = /^node_(netstat_|vmstat_|nf_conntrack_stat_)/.test(name);
  if (type === 'counter' || kernelCounter) {
    // Interrupts, context switches, forks and faults run at thousands per second on a busy machine.
    const busy = /^node_(intr|context_switches|forks)_total$|^node_(vmstat|netstat)_/.test(name);
    return { kind: 'counter', slack: busy ? 1e6 : name.startsWith('node_cpu_') ? 5 : 1e4 };
  }
  return { kind: 'gauge', slack: 0 };
}

describe('the host collector beside a real node_exporter', { skip }, () => {
  let child: ChildProcess;
  let theirs: MetricFamily[];
  let ours: MetricFamily[];
  const problems: string[] = [];

  before(async () => {
    const address = `127.0.0.1:${await freePort()}`;
    child = spawn(bin, [`--web.listen-address=${address}`], { stdio: ['ignore', 'ignore', 'pipe'] });
    await new Promise<void>((resolve, reject) => {
      let log = '';
      child.stderr?.on('data', (d: Buffer) => {
        log += d.toString();
        if (log.includes('Listening on')) resolve();
      });
      child.on('exit', (code) => reject(new Error(`node_exporter exited with ${code}: ${log}`)));
    });
    const collector = new HostCollector();
    const log: ProblemLog = { once: (_k, m) => problems.push(m) };
    collector.collect(Date.now(), log); // warm: the comparison below is about a steady pass
    const res = await fetch(`http://${address}/metrics`);
    const body = new Uint8Array(await res.arrayBuffer());
    ours = collector.collect(Date.now(), log);
    const parsed = readFamilies(body, 'text-0.0.4');
    assert.equal(parsed.error, null);
    theirs = parsed.families;
  });
  after(() => {
    child?.kill();
  });

  it('emits every family node_exporter emits (except the listed ones), with the same type', () => {
    const mine = index(ours);
    const missing: string[] = [];
    const wrongType: string[] = [];
    for (const f of theirs) {
      if (excluded(f.name) !== null) continue;
      const m = mine.get(f.name);
      if (m === undefined) missing.push(f.name);
      else if (m.type !== f.type) wrongType.push(`${f.name}: ours ${m.type}, theirs ${f.type}`);
    }
    assert.deepEqual(missing, [], 'families node_exporter has and we lack');
    assert.deepEqual(wrongType, []);
  });

  it('emits no node_* family node_exporter does not', () => {
    const names = new Set(theirs.map((f) => f.name));
    // On this machine: no udev database, so node_exporter emits no udev-derived families; we would not either.
    const extra = ours.map((f) => f.name).filter((n) => n.startsWith('node_') && !names.has(n));
    assert.deepEqual(extra, []);
  });

  it('has the same label sets per family', () => {
    const mine = index(ours);
    const diffs: string[] = [];
    for (const f of theirs) {
      const m = mine.get(f.name);
      if (m === undefined) continue;
      const theirSets = new Set(f.samples.map((s) => s.labels.toString()));
      for (const k of theirSets) if (!m.series.has(k)) diffs.push(`${f.name}${k}: only theirs`);
      for (const k of m.series.keys()) if (!theirSets.has(k)) diffs.push(`${f.name}${k}: only ours`);
    }
    assert.deepEqual(diffs, []);
  });

  it('has the same HELP texts', () => {
    const help = new Map(ours.map((f) => [f.name, f.help]));
    const diffs = theirs
      .filter((f) => help.has(f.name) && help.get(f.name) !== f.help)
      .map((f) => `${f.name}: ours ${JSON.stringify(help.get(f.name))}, theirs ${JSON.stringify(f.help)}`);
    assert.deepEqual(diffs, []);
  });

  it('has close values: instantaneous within 5%, counters read after theirs ≥ theirs and close', () => {
    const mine = index(ours);
    const memTotal = mine.get('node_memory_MemTotal_bytes')?.series.get('{}') ?? 0;
    assert.ok(memTotal > 0);
    const diffs: string[] = [];
    let compared = 0;
    for (const f of theirs) {
      const m = mine.get(f.name);
      if (m === undefined) continue;
      const r = rule(f.name, f.type, memTotal);
      for (const s of f.samples) {
        const k = s.labels.toString();
        const ourV = m.series.get(k);
        if (ourV === undefined) continue;
        const theirV = s.value;
        compared++;
        let ok: boolean;
        if (r.kind === 'exact') ok = ourV === theirV;
        else if (r.kind === 'counter') ok = ourV >= theirV - 0.01 && ourV - theirV <= 0.05 * Math.abs(theirV) + r.slack;
        else ok = Math.abs(ourV - theirV) <= Math.max(0.05 * Math.max(Math.abs(ourV), Math.abs(theirV)), r.slack);
        if (!ok) diffs.push(`${f.name}${k}: ours ${ourV}, theirs ${theirV} (${r.kind}, slack ${r.slack})`);
      }
    }
    assert.ok(compared > 200, `compared ${compared} samples`);
    assert.deepEqual(diffs, []);
  });

  it("emits cAdvisor's machine_* with machine_id and boot_id labels, consistent with node_*", () => {
    const mine = index(ours);
    const cores = mine.get('machine_cpu_cores');
    assert.ok(cores !== undefined);
    const [labels, n] = [...cores.series.entries()][0] as [string, number];
    assert.match(labels, /boot_id="[0-9a-f-]{36}"/);
    assert.match(labels, /machine_id="[0-9a-f]{32}"/);
    const cpus = new Set(
      theirs.find((f) => f.name === 'node_cpu_seconds_total')?.samples.map((s) => s.labels.get('cpu')),
    );
    assert.equal(n, cpus.size);
    const mem = [...(mine.get('machine_memory_bytes')?.series.values() ?? [])][0];
    const theirMem = theirs.find((f) => f.name === 'node_memory_MemTotal_bytes')?.samples[0]?.value;
    assert.equal(mem, theirMem);
    for (const name of ['machine_cpu_physical_cores', 'machine_cpu_sockets', 'machine_swap_bytes']) {
      assert.ok(mine.has(name), name);
    }
  });

  it('reported only expected problems', () => {
    const unexpected = problems.filter((p) => !/product_uuid|udev/.test(p));
    assert.deepEqual(unexpected, []);
  });
});
