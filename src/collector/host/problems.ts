/**
 * Where the host collector reports what it could not read. A collector runs every second: a problem that persists
 * (a missing file, a kernel without a feature) must be reported once, not once per pass.
 */
export interface ProblemLog {
  /**
   * Reports `message` the first time `key` is seen; later calls with the same key do nothing. Keys name the
   * problem (`host:read:/proc/pressure/cpu`), messages say it for a human. Never throws.
   */
  once(key: string, message: string): void;
}

/** A ProblemLog that drops everything. */
export const silentProblems: ProblemLog = { once() {} };
