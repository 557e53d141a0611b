import type { MetricFamily, MetricType } from '../../exposition/index.ts';
import { Labels } from '../../model/index.ts';
import { diskstatsColumns, parseDiskstats } from './diskstats.ts';
import { appendNonEmpty, type FamilyBuilder, family, push } from './families.ts';
import { isDue } from './options.ts';

/** node_exporter's secondsPerTick (diskstats times are in ms). */
const secondsPerTick = 1.0 / 1000.0;
/** /proc/diskstats counts sectors of 512 bytes whatever the device's sector size. */
const unixSectorSize = 512.0;

/** The 17 node_disk_* families in /proc/diskstats column order: name, type, help, multiplier. */
const columns: readonly (readonly [string, MetricType, string, number])[] = [
  ['reads_completed_total', 'counter', 'The total number of reads completed successfully.', 1],
  ['reads_merged_total', 'counter', 'The total number of reads merged.', 1],
  ['read_bytes_total', 'counter', 'The total number of bytes read successfully.', unixSectorSize],
  ['read_time_seconds_total', 'counter', 'The total number of seconds spent by all reads.', secondsPerTick],
  ['writes_completed_total', 'counter', 'The total number of writes completed successfully.', 1],
  ['writes_merged_total', 'counter', 'The number of writes merged.', 1],
  ['written_bytes_total', 'counter', 'The total number of bytes written successfully.', unixSectorSize],
  ['write_time_seconds_total', 'counter', 'This is the total number of seconds spent by all writes.', secondsPerTick],
  ['io_now', 'gauge', 'The number of I/Os currently in progress.', 1],
  ['io_time_seconds_total', 'counter', 'Total seconds spent doing I/Os.', secondsPerTick],
  ['io_time_weighted_seconds_total', 'counter', 'The weighted # of seconds spent doing I/Os.', secondsPerTick],
  ['discards_completed_total', 'counter', 'The total number of discards completed successfully.', 1],
  ['discards_merged_total', 'counter', 'The total number of discards merged.', 1],
  ['discarded_sectors_total', 'counter', 'The total number of sectors discarded successfully.', 1],
  [
    'discard_time_seconds_total',
    'counter',
    'This is the total number of seconds spent by all discards.',
    secondsPerTick,
  ],
  ['flush_requests_total', 'counter', 'The total number of flush requests completed successfully', 1],
  [
    'flush_requests_time_seconds_total',
    'counter',
    'This is the total number of seconds spent by all flush requests.',
    secondsPerTick,
  ],
];

/** Family name, type and help of each column, built once. */
const columnFamilies = columns.map(([n, type, help]) => [`node_disk_${n}`, type, help] as const);

/** The udev properties of a block device (`E:KEY=value` lines of `/run/udev/data/b<major>:<minor>`). */
export type UdevProperties = ReadonlyMap<string, string>;

/** node_disk_ata_* families by udev property, when the device has ID_ATA. */
const ataFamilies: readonly (readonly [string, string, string])[] = [
  ['ID_ATA_WRITE_CACHE', 'node_disk_ata_write_cache', 'ATA disk has a write cache.'],
  ['ID_ATA_WRITE_CACHE_ENABLED', 'node_disk_ata_write_cache_enabled', 'ATA disk has its write cache enabled.'],
  ['ID_ATA_ROTATION_RATE_RPM', 'node_disk_ata_rotation_rate_rpm', 'ATA disk rotation rate in RPMs (0 for SSDs).'],
];

/** What the udev properties of a device give the info families (rebuilt every slow refresh). */
interface DiskInfo {
  readonly info: Labels;
  readonly filesystem: Labels | null;
  readonly deviceMapper: Labels | null;
  /** Values of `ataFamilies` in order, NaN where absent. */
  readonly ata: readonly number[];
}

/** What the disk collector knows about one /proc/diskstats line (cached by line number). */
interface DiskLine {
  readonly name: string;
  readonly excluded: boolean;
  readonly labels: Labels;
  info: DiskInfo | null;
  infoReadMs: number;
}

/**
 * node_exporter's diskstats collector: node_disk_* by device, node_disk_info, and from udev node_disk_filesystem_info,
 * node_disk_device_mapper_info and node_disk_ata_*. Devices matching the exclude are skipped; lines are matched to
 * their cached name, labels and exclusion by position, so a pass allocates no strings for devices it has seen. udev
 * properties are re-read every `slowRefreshMs`.
 */
export class DiskCollector {
  private readonly lines: (DiskLine | undefined)[] = [];
  private readonly stats = new Float64Array(diskstatsColumns);

  constructor(
    private readonly exclude: RegExp,
    /** The udev properties of a device, null when udev has none (no /run/udev). */
    private readonly udev: (major: number, minor: number) => UdevProperties | null,
    private readonly slowRefreshMs: number,
  ) {}

  collect(text: string, nowMs: number, out: MetricFamily[]): void {
    const fams: FamilyBuilder[] = [];
    for (const [name, type, help] of columnFamilies) fams.push(family(name, type, help));
    const info = family('node_disk_info', 'gauge', 'Info of /sys/block/<block_device>.');
    const fsInfo = family('node_disk_filesystem_info', 'gauge', 'Info about disk filesystem.');
    const dmInfo = family('node_disk_device_mapper_info', 'gauge', 'Info about disk device mapper.');
    const ata = ataFamilies.map(([, name, help]) => family(name, 'gauge', help));
    const stats = this.stats;
    parseDiskstats(text, stats, (i, major, minor, start, end, count) => {
      let d = this.lines[i];
      if (d === undefined || end - start !== d.name.length || !text.startsWith(d.name, start)) {
        const name = text.slice(start, end);
        const labels = Labels.fromSortedFlat(['device', name]);
        d = { name, excluded: this.exclude.test(name), labels, info: null, infoReadMs: 0 };
        this.lines[i] = d;
      }
      if (d.excluded) return;
      if (d.info === null || isDue(nowMs, d.infoReadMs, this.slowRefreshMs)) {
        d.info = diskInfo(d.name, major, minor, this.udev(major, minor) ?? new Map());
        d.infoReadMs = nowMs;
      }
      push(info, d.info.info, 1);
      for (let k = 0; k < count; k++) {
        const mul = (columns[k] as readonly [string, MetricType, string, number])[3];
        push(fams[k] as FamilyBuilder, d.labels, mul === 1 ? (stats[k] as number) : (stats[k] as number) * mul);
      }
      if (d.info.filesystem !== null) push(fsInfo, d.info.filesystem, 1);
      if (d.info.deviceMapper !== null) push(dmInfo, d.info.deviceMapper, 1);
      for (let k = 0; k < ata.length; k++) {
        const v = d.info.ata[k] as number;
        if (!Number.isNaN(v)) push(ata[k] as FamilyBuilder, d.labels, v);
      }
    });
    appendNonEmpty(out, ...fams, info, fsInfo, dmInfo, ...ata);
  }
}

/** The info label sets and ATA values of a device from its udev properties, as node_exporter derives them. */
export function diskInfo(name: string, major: number, minor: number, p: UdevProperties): DiskInfo {
  const get = (k: string) => p.get(k) ?? '';
  const fsType = get('ID_FS_TYPE');
  const dmName = get('DM_NAME');
  const hasAta = get('ID_ATA') !== '';
  return {
    info: Labels.fromObject({
      device: name,
      major: String(major),
      minor: String(minor),
      path: get('ID_PATH'),
      wwn: get('ID_WWN'),
      model: get('ID_MODEL'),
      // The serial printed on the disk label, else the short one.
      serial: get('SCSI_IDENT_SERIAL') || get('ID_SERIAL_SHORT'),
      revision: get('ID_REVISION'),
    }),
    filesystem:
      fsType === ''
        ? null
        : Labels.fromObject({
            device: name,
            type: fsType,
            usage: get('ID_FS_USAGE'),
            uuid: get('ID_FS_UUID'),
            version: get('ID_FS_VERSION'),
          }),
    deviceMapper:
      dmName === ''
        ? null
        : Labels.fromObject({
            device: name,
            name: dmName,
            uuid: get('DM_UUID'),
            vg_name: get('DM_VG_NAME'),
            lv_name: get('DM_LV_NAME'),
            lv_layer: get('DM_LV_LAYER'),
          }),
    ata: ataFamilies.map(([prop]) => {
      const s = p.get(prop);
      return hasAta && s !== undefined && s.trim() !== '' ? Number(s) : Number.NaN;
    }),
  };
}

/** Parses a udev database entry: its `E:KEY=value` property lines. */
export function parseUdevData(text: string): Map<string, string> {
  const props = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (!line.startsWith('E:')) continue;
    const eq = line.indexOf('=');
    if (eq > 2) props.set(line.slice(2, eq), line.slice(eq + 1));
  }
  return props;
}
