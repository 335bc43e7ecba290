import { ConsoleLogger, LogLevel } from '@nestjs/common';
import type { AppConfig } from './app-config';

const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

/** Structured JSON logs (one object per line) in production, readable text when asked. */
export function createLogger(config: Pick<AppConfig, 'logFormat' | 'logLevel'>, context: string): ConsoleLogger {
  const upTo = LEVELS.indexOf(config.logLevel);
  return new ConsoleLogger(context, {
    json: config.logFormat === 'json',
    colors: config.logFormat === 'text',
    logLevels: LEVELS.slice(0, upTo + 1),
  });
}
