/**
 * Reading the files of one cgroup during one pass: a file that cannot be read gives null, and the reason is sorted
 * out once here. The cgroup directory gone means the container vanished (`vanished` is set and the caller drops the
 * whole pass); a file missing from a directory that is still there is a kernel without that file (reported once
 * per file name, not per container); any other errno is reported once per file name and code.
 *
 * Control files are read *held* (see FileReader): their descriptors stay open from pass to pass. An optional file
 * (one of several alternative sources) found missing in a live non-root cgroup is not looked for again for
 * `recheckMissingMs`: it is a property of the kernel (CFQ files on a kernel without CFQ), not of the cgroup.
 */
import { existsSync } from 'node:fs';
import type { ProblemLog } from '../problems.ts';
import { type FileReader, isGone } from '../proc/read-file.ts';

/** How long an optional file found missing is assumed missing in every cgroup. */
const recheckMissingMs = 60_000;

export class CgroupFiles {
  /** Set when a read found the cgroup directory gone; stays set until `begin`. */
  vanished = false;
  private problems: ProblemLog;
  private reportMissing = true;
  private nowMs = 0;
  private readonly missingSince = new Map<string, number>();

  constructor(
    readonly reader: FileReader,
    problems: ProblemLog,
  ) {
    this.problems = problems;
  }

  /**
   * Starts the reads of one container at `nowMs`. `isRoot` (the root cgroup lacks many per-cgroup files by design)
   * keeps missing files out of the problem log; vanishing and other errors are still handled.
   */
  begin(problems: ProblemLog, isRoot: boolean, nowMs = 0): void {
    this.problems = problems;
    this.reportMissing = !isRoot;
    this.vanished = false;
    this.nowMs = nowMs;
    this.reader.nowMs = nowMs;
  }

  /**
   * Text of `dir/file`, null when unreadable (and, once the cgroup is known to have vanished, without reading).
   * `optional`: a missing file is expected (not reported).
   */
  text(dir: string, file: string, optional = false): string | null {
    if (this.vanished || (optional && this.knownMissing(file))) return null;
    const t = this.reader.text(`${dir}/${file}`, true);
    if (t === null) this.failed(dir, file, optional);
    return t;
  }

  /** First number of `dir/file` (`max` = +Infinity), null when unreadable or not a number. */
  number(dir: string, file: string, optional = false): number | null {
    if (this.vanished || (optional && this.knownMissing(file))) return null;
    const v = this.reader.number(`${dir}/${file}`, true);
    if (v === null) this.failed(dir, file, optional);
    return v;
  }

  /** Reports a problem found by the caller in the contents of `dir/file`, once per key. */
  report(key: string, message: string): void {
    this.problems.once(key, message);
  }

  private knownMissing(file: string): boolean {
    const since = this.missingSince.get(file);
    if (since === undefined) return false;
    if (this.nowMs - since < recheckMissingMs) return true;
    this.missingSince.delete(file);
    return false;
  }

  private failed(dir: string, file: string, optional: boolean): void {
    const code = this.reader.lastError;
    if (isGone(code)) {
      if (!existsSync(dir)) {
        this.vanished = true;
        this.reader.release(`${dir}/`);
      } else if (optional) {
        if (this.reportMissing) this.missingSince.set(file, this.nowMs);
      } else if (this.reportMissing) {
        this.problems.once(
          `cgroup-missing:${file}`,
          `cgroup file ${file} is missing (first seen at ${dir}): the figures it feeds are left empty`,
        );
      }
      return;
    }
    if (code === 'EPARSE') {
      this.problems.once(`cgroup-unparsable:${file}`, `cgroup file ${dir}/${file} does not hold a number`);
      return;
    }
    this.problems.once(`cgroup-unreadable:${file}:${code}`, `cannot read cgroup file ${dir}/${file} (${code})`);
  }
}
