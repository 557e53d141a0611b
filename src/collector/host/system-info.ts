import os from 'node:os';
import type { MetricFamily } from '../../exposition/index.ts';
import { Labels } from '../../model/index.ts';
import { type FamilyBuilder, family, push, single } from './families.ts';
import { isDue } from './options.ts';
import { osInfoLabels, osVersion, parseOsRelease } from './os-release.ts';
import { type FileReader, trimEnd } from './read-file.ts';
import { zoneAbbreviation } from './time-zone.ts';

/** Label sets of the info families, rebuilt every slow refresh. */
interface Snapshot {
  readonly uname: Labels;
  readonly os: Labels | null;
  readonly osVersion: { readonly labels: Labels; readonly value: number } | null;
  readonly clocksources: readonly { readonly available: readonly Labels[]; readonly current: Labels | null }[];
}

/** Where the system info comes from. */
export interface SystemInfoPaths {
  readonly procPath: string;
  readonly sysPath: string;
  /** '' for the host root. */
  readonly rootPath: string;
}

/**
 * node_exporter's uname, os and time collectors: node_uname_info, node_os_info, node_os_version, node_time_seconds,
 * node_time_zone_offset_seconds and node_time_clocksource_{available,current}_info. What they read changes rarely and
 * is re-read every `slowRefreshMs`; node_time_seconds is the pass's clock.
 */
export class SystemInfoCollector {
  private snap: Snapshot | null = null;
  private readMs = Number.NEGATIVE_INFINITY;
  private zone: { offsetMin: number; labels: Labels } | null = null;

  constructor(
    private readonly reader: FileReader,
    private readonly paths: SystemInfoPaths,
    private readonly slowRefreshMs: number,
  ) {}

  collect(nowMs: number, out: MetricFamily[]): void {
    if (this.snap === null || isDue(nowMs, this.readMs, this.slowRefreshMs)) {
      this.snap = this.read();
      this.readMs = nowMs;
    }
    const s = this.snap;
    out.push(fam('node_uname_info', 'Labeled system information as provided by the uname system call.', s.uname));
    if (s.os !== null) {
      out.push(
        fam(
          'node_os_info',
          "A metric with a constant '1' value labeled by build_id, id, id_like, image_id, image_version, name, pretty_name, variant, variant_id, version, version_codename, version_id.",
          s.os,
        ),
      );
    }
    if (s.osVersion !== null) {
      const f = family('node_os_version', 'gauge', 'Metric containing the major.minor part of the OS version.');
      push(f, s.osVersion.labels, s.osVersion.value);
      out.push(f);
    }
    out.push(single('node_time_seconds', 'gauge', 'System time in seconds since epoch (1970).', nowMs / 1000));
    const tz = this.timeZone(nowMs);
    const zf = family('node_time_zone_offset_seconds', 'gauge', 'System time zone offset in seconds.');
    push(zf, tz.labels, tz.offsetMin * 60);
    out.push(zf);
    if (s.clocksources.length > 0) {
      const avail = family(
        'node_time_clocksource_available_info',
        'gauge',
        "Available clocksources read from '/sys/devices/system/clocksource'.",
      );
      const current = family(
        'node_time_clocksource_current_info',
        'gauge',
        "Current clocksource read from '/sys/devices/system/clocksource'.",
      );
      for (const c of s.clocksources) {
        for (const l of c.available) push(avail, l, 1);
        if (c.current !== null) push(current, c.current, 1);
      }
      if (avail.samples.length > 0) out.push(avail);
      if (current.samples.length > 0) out.push(current);
    }
  }

  /** The zone's offset east of UTC and its abbreviation, as Go's time.Now().Zone() gives them. */
  private timeZone(nowMs: number): { offsetMin: number; labels: Labels } {
    const offsetMin = 0 - new Date(nowMs).getTimezoneOffset();
    if (this.zone === null || this.zone.offsetMin !== offsetMin) {
      this.zone = {
        offsetMin,
        labels: Labels.fromObject({ time_zone: zoneAbbreviation(nowMs, offsetMin, this.paths.rootPath) }),
      };
    }
    return this.zone;
  }

  private read(): Snapshot {
    const { procPath, sysPath, rootPath } = this.paths;
    const domain = this.reader.read(`${procPath}/sys/kernel/domainname`);
    const uname = Labels.fromObject({
      sysname: os.type(),
      release: os.release(),
      version: os.version(),
      machine: os.machine(),
      nodename: os.hostname(),
      domainname: domain === null ? '' : trimEnd(domain),
    });
    let osText = this.reader.tryRead(`${rootPath}/etc/os-release`, true);
    if (osText === null) osText = this.reader.read(`${rootPath}/usr/lib/os-release`, true);
    let osLabels: Labels | null = null;
    let version: Snapshot['osVersion'] = null;
    if (osText !== null) {
      const r = parseOsRelease(osText);
      const rec: Record<string, string> = {};
      for (const [label, key] of Object.entries(osInfoLabels)) rec[label] = r.get(key) ?? '';
      osLabels = Labels.fromObject(rec);
      const v = osVersion(r.get('VERSION_ID') ?? '');
      if (v > 0) {
        version = {
          labels: Labels.fromObject({ id: rec.id ?? '', id_like: rec.id_like ?? '', name: rec.name ?? '' }),
          value: v,
        };
      }
    }
    return { uname, os: osLabels, osVersion: version, clocksources: this.clocksources(sysPath) };
  }

  private clocksources(sysPath: string): Snapshot['clocksources'] {
    const out: { available: Labels[]; current: Labels | null }[] = [];
    for (let n = 0; ; n++) {
      const dir = `${sysPath}/devices/system/clocksource/clocksource${n}`;
      const avail = this.reader.tryRead(`${dir}/available_clocksource`);
      if (avail === null) break;
      const device = String(n);
      const cur = this.reader.tryRead(`${dir}/current_clocksource`);
      out.push({
        available: avail
          .split(/\s+/)
          .filter((s) => s !== '')
          .map((clocksource) => Labels.fromObject({ clocksource, device })),
        current: cur === null ? null : Labels.fromObject({ clocksource: trimEnd(cur), device }),
      });
    }
    return out;
  }
}

function fam(name: string, help: string, labels: Labels): MetricFamily {
  const f: FamilyBuilder = family(name, 'gauge', help);
  push(f, labels, 1);
  return f;
}
