export type { LogFields, Logger, LoggerOptions, LogLevel } from './logger.ts';
export { createLogger, isLogLevel, logLevels } from './logger.ts';
