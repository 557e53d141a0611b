import { statfsSync } from 'node:fs';
import type { MetricFamily } from '../../exposition/index.ts';
import { Labels } from '../../model/index.ts';
import { appendNonEmpty, family, push } from './families.ts';
import { isReadOnly, parseMounts } from './mounts.ts';
import type { ProblemLog } from './problems.ts';
import { errorCode } from './read-file.ts';

/** A mount that passed the excludes, ready to statfs. */
interface Target {
  readonly labels: Labels;
  /** Path given to statfs (the mount point under the root path). */
  readonly path: string;
  readonly readonly: number;
}

/** How the filesystem collector decides which mounts to report. */
export interface FilesystemFilter {
  readonly mountPointsExclude: RegExp;
  readonly fsTypesExclude: RegExp;
  /** Prefix for statfs paths ('' for the host root). */
  readonly rootPath: string;
}

/**
 * node_exporter's filesystem collector: node_filesystem_{size,free,avail}_bytes, _files, _files_free, _readonly and
 * _device_error by device, fstype and mountpoint. The mount table is parsed and filtered again only when its text
 * changes; statfs runs for every mount on every pass. A mount whose statfs fails reports device_error 1 and readonly,
 * and no sizes (as node_exporter). statfs is synchronous: a hung network mount blocks the pass.
 */
export class FilesystemCollector {
  private mountsText = '';
  private targets: Target[] = [];

  constructor(
    private readonly filter: FilesystemFilter,
    private readonly problems: ProblemLog,
  ) {}

  collect(mountsText: string, out: MetricFamily[]): void {
    if (mountsText !== this.mountsText) {
      this.targets = this.select(mountsText);
      this.mountsText = mountsText;
    }
    const size = family('node_filesystem_size_bytes', 'gauge', 'Filesystem size in bytes.');
    const free = family('node_filesystem_free_bytes', 'gauge', 'Filesystem free space in bytes.');
    const avail = family(
      'node_filesystem_avail_bytes',
      'gauge',
      'Filesystem space available to non-root users in bytes.',
    );
    const files = family('node_filesystem_files', 'gauge', 'Filesystem total file nodes.');
    const filesFree = family('node_filesystem_files_free', 'gauge', 'Filesystem total free file nodes.');
    const ro = family('node_filesystem_readonly', 'gauge', 'Filesystem read-only status.');
    const deviceError = family(
      'node_filesystem_device_error',
      'gauge',
      'Whether an error occurred while getting statistics for the given device.',
    );
    for (const t of this.targets) {
      let st: ReturnType<typeof statfsSync>;
      try {
        st = statfsSync(t.path);
      } catch (err) {
        this.problems.once(`host:statfs:${t.path}`, `host collector: statfs ${t.path}: ${errorCode(err)}`);
        push(deviceError, t.labels, 1);
        push(ro, t.labels, t.readonly);
        continue;
      }
      push(deviceError, t.labels, 0);
      push(ro, t.labels, t.readonly);
      push(size, t.labels, st.blocks * st.bsize);
      push(free, t.labels, st.bfree * st.bsize);
      push(avail, t.labels, st.bavail * st.bsize);
      push(files, t.labels, st.files);
      push(filesFree, t.labels, st.ffree);
    }
    appendNonEmpty(out, avail, deviceError, files, filesFree, free, ro, size);
  }

  private select(text: string): Target[] {
    const out: Target[] = [];
    const seen = new Set<string>();
    for (const m of parseMounts(text)) {
      if (this.filter.mountPointsExclude.test(m.mountPoint) || this.filter.fsTypesExclude.test(m.fsType)) continue;
      const key = `${m.device}\0${m.mountPoint}\0${m.fsType}`;
      if (seen.has(key)) continue; // the same mount twice would be a duplicate series
      seen.add(key);
      out.push({
        labels: Labels.fromObject({ device: m.device, fstype: m.fsType, mountpoint: m.mountPoint }),
        path: this.filter.rootPath + m.mountPoint,
        readonly: isReadOnly(m.options) ? 1 : 0,
      });
    }
    return out;
  }
}
