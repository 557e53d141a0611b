/** Problems the Docker side reports: each kind once, not on every retry. */
import type { Logger } from '../../log/index.ts';

/**
 * Where recurring problems go. `once` logs `message` the first time it sees `key` and drops later calls with the
 * same key. Keys used here: `docker.unreachable`, `docker.events`, `docker.inspect`, `docker.response`.
 */
export interface ProblemLog {
  once(key: string, message: string): void;
}

/** A {@link ProblemLog} that writes each key's first message as a warning. */
export function problemLogFor(logger: Logger): ProblemLog {
  const seen = new Set<string>();
  return {
    once(key, message) {
      if (seen.has(key)) return;
      seen.add(key);
      logger.warn(message, { problem: key });
    },
  };
}
