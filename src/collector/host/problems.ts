/**
 * Where the host collector reports what it could not read, once per kind (the collector's ProblemLog); keys name
 * the problem (`host:read:/proc/pressure/cpu`).
 */
import type { ProblemLog } from '../problems.ts';

export type { ProblemLog };

/** A ProblemLog that drops everything. */
export const silentProblems: ProblemLog = { once() {} };
