/**
 * Problems the Docker side reports, each kind once, not on every retry: through the collector's ProblemLog. Keys
 * used here: `docker.unreachable`, `docker.events`, `docker.inspect`, `docker.response`.
 */
export type { ProblemLog } from '../problems.ts';
