import type { LoggerService } from '@backstage/backend-plugin-api';

/** A LoggerService that keeps every line and its metadata, so tests can assert on what was logged. */
export function capturingLogger(
  lines: string[] = [],
): LoggerService & { lines: string[] } {
  const log = (level: string) => (message: string, meta?: unknown) => {
    lines.push(
      `${level} ${message} ${meta === undefined ? '' : JSON.stringify(meta, Object.getOwnPropertyNames(meta ?? {}))}`,
    );
  };
  const logger = {
    lines,
    error: log('error'),
    warn: log('warn'),
    info: log('info'),
    debug: log('debug'),
    child: () => logger,
  };
  return logger;
}
