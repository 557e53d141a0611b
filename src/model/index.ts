export { formatDurationMs, parseDurationMs } from './duration.ts';
export { parseHostPort } from './host-port.ts';
