export type { LogFields, LogLevel, Logger, LoggerOptions } from './logger.ts';
export { createLogger, isLogLevel, logLevels } from './logger.ts';
