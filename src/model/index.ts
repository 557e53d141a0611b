export { formatDurationMs, parseDurationMs } from './duration.ts';
