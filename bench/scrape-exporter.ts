// A node_exporter-like body for the scrape benchmark: text format 0.0.4 with HELP and TYPE per family, no
// timestamps, exactly `series` lines of samples (500 by default): Go runtime and process metrics, CPU seconds by
// cpu and mode, disk, filesystem, memory, network, netstat and vmstat counters, collector durations, a classic
// histogram by handler, and `node_interrupts_total` filling up to the count. Counters grow by small or large
// steps (integers for bytes and packets, hundredths for seconds), gauges walk, histogram buckets stay
// cumulative with `_sum` and `_count`. Every `next()` moves every value on: no two scrapes return the same body.

const COUNTER_INT = 0;
const COUNTER_FLOAT = 1;
const GAUGE = 2;
const GAUGE_BYTES = 3;
const CONSTANT = 4;
const HISTOGRAM_PART = 5;
type Kind = 0 | 1 | 2 | 3 | 4 | 5;

interface Line {
  /** `name{labels} ` up to the value. */
  prefix: string;
  kind: Kind;
  /** Typical step per scrape. */
  scale: number;
}

interface Histogram {
  /** Line indices of the buckets (ascending `le`, `+Inf` last), then `_sum`, then `_count`. */
  first: number;
  le: readonly number[];
  mean: number;
}

type LabelSet = Record<string, string>;

const product = (...dims: LabelSet[][]): LabelSet[] =>
  dims.reduce<LabelSet[]>((acc, dim) => acc.flatMap((a) => dim.map((d) => ({ ...a, ...d }))), [{}]);
const list = (name: string, values: readonly string[]): LabelSet[] => values.map((v) => ({ [name]: v }));
const fmtLabels = (l: LabelSet) => {
  const parts = Object.entries(l).map(([k, v]) => `${k}="${v}"`);
  return parts.length === 0 ? '' : `{${parts.join(',')}}`;
};

const latencyLe = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const collectors = ['arp', 'bcache', 'conntrack', 'cpu', 'cpufreq', 'diskstats', 'edac', 'entropy', 'filefd'];
const memory = ['MemTotal', 'MemFree', 'MemAvailable', 'Buffers', 'Cached', 'SwapCached', 'Active', 'Inactive'];
const memoryMore = ['Active_anon', 'Inactive_anon', 'Active_file', 'Inactive_file', 'Unevictable', 'Mlocked'];
const memoryRest = ['SwapTotal', 'SwapFree', 'Dirty', 'Writeback', 'AnonPages', 'Mapped', 'Shmem', 'Slab'];
const memoryTail = ['SReclaimable', 'SUnreclaim', 'KernelStack', 'PageTables', 'CommitLimit', 'Committed_AS'];
const filesystems = [
  { device: '/dev/nvme0n1p2', fstype: 'ext4', mountpoint: '/' },
  { device: '/dev/nvme0n1p1', fstype: 'vfat', mountpoint: '/boot/efi' },
  { device: '/dev/sda1', fstype: 'xfs', mountpoint: '/var/lib/docker' },
  { device: 'tmpfs', fstype: 'tmpfs', mountpoint: '/run' },
  { device: 'tmpfs', fstype: 'tmpfs', mountpoint: '/run/lock' },
];

/** One target's exposition: fixed series, values moved on by every `next()`. */
export class ExporterBody {
  readonly lines: Line[] = [];
  private readonly help: Array<string | undefined> = [];
  private readonly histograms: Histogram[] = [];
  private readonly values: Float64Array;
  private seed: number;

  constructor(series: number, seed: number) {
    this.seed = seed >>> 0 || 1;
    this.families();
    let i = 0;
    while (this.lines.length < series) {
      const labels = { cpu: String(i % 8), devices: `nvme0q${i >> 3}`, type: `IR-PCI-MSI-${1_048_576 + i}` };
      this.add('node_interrupts_total', 'counter', 'Interrupt details.', [labels], COUNTER_INT, 40, i++ === 0);
    }
    if (this.lines.length > series) throw new Error(`the fixed families have ${this.lines.length} series`);
    this.values = new Float64Array(series);
    for (let j = 0; j < series; j++) {
      const l = this.lines[j] as Line;
      const r = this.random();
      this.values[j] =
        l.kind === GAUGE_BYTES
          ? Math.round(r * 1e6) * 4096
          : l.kind === CONSTANT || l.kind === COUNTER_INT
            ? Math.round(r * Math.max(l.scale, 10) * 1e3)
            : Math.round(r * l.scale * 1e5) / 100;
    }
  }

  /** The next scrape's body. */
  next(): string {
    this.step();
    const out: string[] = [];
    for (let i = 0; i < this.lines.length; i++) {
      const h = this.help[i];
      if (h !== undefined) out.push(h);
      out.push(`${(this.lines[i] as Line).prefix}${this.values[i]}\n`);
    }
    return out.join('');
  }

  private step(): void {
    const v = this.values;
    for (let i = 0; i < this.lines.length; i++) {
      const { kind, scale } = this.lines[i] as Line;
      const r = this.random();
      if (kind === COUNTER_INT) v[i] = (v[i] as number) + Math.floor(r * r * scale * 2);
      else if (kind === COUNTER_FLOAT) v[i] = Math.round(((v[i] as number) + r * scale) * 100) / 100;
      else if (kind === GAUGE) v[i] = Math.round(Math.abs((v[i] as number) + (r - 0.5) * scale) * 1000) / 1000;
      else if (kind === GAUGE_BYTES) v[i] = Math.max(0, (v[i] as number) + Math.round((r - 0.5) * scale) * 4096);
    }
    for (const h of this.histograms) {
      const observations = Math.floor(this.random() * 20);
      let sum = 0;
      for (let o = 0; o < observations; o++) {
        const x = -Math.log(1 - this.random()) * h.mean;
        sum += x;
        for (let b = 0; b < h.le.length; b++)
          if (x <= (h.le[b] as number)) v[h.first + b] = (v[h.first + b] as number) + 1;
        v[h.first + h.le.length] = (v[h.first + h.le.length] as number) + 1;
      }
      const s = h.first + h.le.length + 1;
      v[s] = Math.round(((v[s] as number) + sum) * 1e6) / 1e6;
      v[s + 1] = (v[s + 1] as number) + observations;
    }
  }

  /** mulberry32 */
  private random(): number {
    this.seed = (this.seed + 0x6d2b79f5) >>> 0;
    let x = this.seed;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  }

  private add(name: string, type: string, help: string, sets: LabelSet[], kind: Kind, scale: number, head = true) {
    sets.forEach((labels, j) => {
      this.help.push(head && j === 0 ? `# HELP ${name} ${help}\n# TYPE ${name} ${type}\n` : undefined);
      this.lines.push({ prefix: `${name}${fmtLabels(labels)} `, kind, scale });
    });
  }

  private histogram(name: string, help: string, sets: LabelSet[], mean: number) {
    sets.forEach((labels, j) => {
      const first = this.lines.length;
      const les = [...latencyLe.map(String), '+Inf'];
      les.forEach((le, b) => {
        this.help.push(j === 0 && b === 0 ? `# HELP ${name} ${help}\n# TYPE ${name} histogram\n` : undefined);
        this.lines.push({ prefix: `${name}_bucket${fmtLabels({ ...labels, le })} `, kind: HISTOGRAM_PART, scale: 0 });
      });
      for (const suffix of ['_sum', '_count']) {
        this.help.push(undefined);
        this.lines.push({ prefix: `${name}${suffix}${fmtLabels(labels)} `, kind: HISTOGRAM_PART, scale: 0 });
      }
      this.histograms.push({ first, le: latencyLe, mean });
    });
  }

  private families(): void {
    const one = [{}];
    const quantiles = list('quantile', ['0', '0.25', '0.5', '0.75', '1']);
    this.add('go_gc_duration_seconds', 'summary', 'A summary of the pause duration.', quantiles, GAUGE, 1e-4);
    this.add('go_gc_duration_seconds_sum', 'summary', '', one, COUNTER_FLOAT, 0.01, false);
    this.add('go_gc_duration_seconds_count', 'summary', '', one, COUNTER_INT, 5, false);
    this.add('go_goroutines', 'gauge', 'Number of goroutines that currently exist.', one, GAUGE, 3);
    this.add('go_threads', 'gauge', 'Number of OS threads created.', one, CONSTANT, 0);
    for (const m of ['alloc_bytes', 'heap_alloc_bytes', 'heap_idle_bytes', 'heap_inuse_bytes', 'stack_inuse_bytes']) {
      this.add(`go_memstats_${m}`, 'gauge', `Number of ${m.replace(/_/g, ' ')}.`, one, GAUGE_BYTES, 200);
    }
    this.add('go_memstats_mallocs_total', 'counter', 'Total number of mallocs.', one, COUNTER_INT, 30_000);
    this.add('go_memstats_frees_total', 'counter', 'Total number of frees.', one, COUNTER_INT, 30_000);
    this.add('process_cpu_seconds_total', 'counter', 'Total user and system CPU time.', one, COUNTER_FLOAT, 0.3);
    this.add('process_open_fds', 'gauge', 'Number of open file descriptors.', one, GAUGE, 2);
    this.add('process_max_fds', 'gauge', 'Maximum number of open file descriptors.', one, CONSTANT, 0);
    this.add('process_resident_memory_bytes', 'gauge', 'Resident memory size in bytes.', one, GAUGE_BYTES, 50);
    this.add('process_virtual_memory_bytes', 'gauge', 'Virtual memory size in bytes.', one, GAUGE_BYTES, 50);
    this.add('process_start_time_seconds', 'gauge', 'Start time of the process.', one, CONSTANT, 0);
    const cpus = list('cpu', ['0', '1', '2', '3', '4', '5', '6', '7']);
    const modes = list('mode', ['idle', 'iowait', 'irq', 'nice', 'softirq', 'steal', 'system', 'user']);
    this.add('node_cpu_seconds_total', 'counter', 'Seconds the CPUs spent in each mode.', product(cpus, modes), 1, 4);
    const guest = product(cpus, list('mode', ['nice', 'user']));
    this.add('node_cpu_guest_seconds_total', 'counter', 'Seconds the CPUs spent in guests.', guest, CONSTANT, 0);
    const disks = list('device', ['nvme0n1', 'sda', 'sdb', 'dm-0']);
    for (const [m, kind, scale] of [
      ['reads_completed_total', COUNTER_INT, 300],
      ['reads_merged_total', COUNTER_INT, 20],
      ['read_bytes_total', COUNTER_INT, 4e6],
      ['read_time_seconds_total', COUNTER_FLOAT, 0.4],
      ['writes_completed_total', COUNTER_INT, 500],
      ['writes_merged_total', COUNTER_INT, 60],
      ['written_bytes_total', COUNTER_INT, 9e6],
      ['write_time_seconds_total', COUNTER_FLOAT, 0.9],
      ['io_time_seconds_total', COUNTER_FLOAT, 1.1],
      ['discards_completed_total', COUNTER_INT, 1],
      ['io_now', GAUGE, 2],
    ] as const) {
      this.add(`node_disk_${m}`, m.endsWith('_total') ? 'counter' : 'gauge', `Disk ${m}.`, disks, kind, scale);
    }
    const fs = filesystems.map((f) => ({ ...f }));
    for (const m of ['avail_bytes', 'free_bytes', 'size_bytes', 'files', 'files_free', 'readonly', 'device_error']) {
      const kind = m.endsWith('bytes') || m.startsWith('files') ? GAUGE_BYTES : CONSTANT;
      this.add(`node_filesystem_${m}`, 'gauge', `Filesystem ${m.replace(/_/g, ' ')}.`, fs, kind, 30);
    }
    for (const m of [...memory, ...memoryMore, ...memoryRest, ...memoryTail]) {
      this.add(`node_memory_${m}_bytes`, 'gauge', `Memory information field ${m}_bytes.`, one, GAUGE_BYTES, 100);
    }
    const nics = list('device', ['eth0', 'eth1', 'lo', 'docker0', 'veth3f2a1c9']);
    for (const dir of ['receive', 'transmit']) {
      for (const [m, kind, scale] of [
        ['bytes_total', COUNTER_INT, 3e7],
        ['packets_total', COUNTER_INT, 3e4],
        ['errs_total', COUNTER_INT, 0.6],
        ['drop_total', COUNTER_INT, 0.8],
        ['compressed_total', CONSTANT, 0],
      ] as const) {
        this.add(`node_network_${dir}_${m}`, 'counter', `Network device statistic ${dir}_${m}.`, nics, kind, scale);
      }
    }
    this.add('node_network_mtu_bytes', 'gauge', 'mtu_bytes value of /sys/class/net/<iface>.', nics, CONSTANT, 0);
    this.add('node_network_up', 'gauge', 'Value is 1 if operstate is up, 0 otherwise.', nics, CONSTANT, 0);
    for (const m of ['load1', 'load5', 'load15']) this.add(`node_${m}`, 'gauge', `${m} load average.`, one, GAUGE, 0.3);
    for (const m of ['context_switches_total', 'forks_total', 'intr_total']) {
      this.add(`node_${m}`, 'counter', `Total number of ${m.slice(0, -6)}.`, one, COUNTER_INT, 5e4);
    }
    this.add('node_procs_running', 'gauge', 'Number of processes in runnable state.', one, GAUGE, 2);
    this.add('node_procs_blocked', 'gauge', 'Number of processes blocked waiting for I/O.', one, GAUGE, 1);
    this.add('node_boot_time_seconds', 'gauge', 'Node boot time, in unixtime.', one, CONSTANT, 0);
    this.add('node_time_seconds', 'gauge', 'System time in seconds since epoch (1970).', one, COUNTER_FLOAT, 15);
    for (const m of ['pgfault', 'pgmajfault', 'pgpgin', 'pgpgout', 'pswpin', 'pswpout', 'oom_kill']) {
      this.add(`node_vmstat_${m}`, 'untyped', `/proc/vmstat information field ${m}.`, one, COUNTER_INT, 2e3);
    }
    for (const m of ['Tcp_ActiveOpens', 'Tcp_PassiveOpens', 'Tcp_CurrEstab', 'Tcp_InSegs', 'Tcp_OutSegs']) {
      this.add(`node_netstat_${m}`, 'untyped', `Statistic ${m}.`, one, COUNTER_INT, 800);
    }
    for (const m of ['Tcp_RetransSegs', 'Udp_InDatagrams', 'Udp_OutDatagrams', 'Udp_NoPorts', 'Ip_Forwarding']) {
      this.add(`node_netstat_${m}`, 'untyped', `Statistic ${m}.`, one, COUNTER_INT, 50);
    }
    const cs = list('collector', collectors);
    this.add('node_scrape_collector_duration_seconds', 'gauge', 'Collector duration.', cs, GAUGE, 1e-3);
    this.add('node_scrape_collector_success', 'gauge', 'Whether a collector succeeded.', cs, CONSTANT, 0);
    const handlers = product(list('handler', ['/metrics', '/api/v1/query', '/api/v1/series', '/healthz']));
    this.histogram('http_request_duration_seconds', 'Latency of HTTP requests.', handlers, 0.08);
  }
}
