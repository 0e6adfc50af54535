import { pino, Logger, LevelWithSilent } from 'pino';

export type { Logger } from 'pino';

export interface LoggerOptions {
  readonly level?: LevelWithSilent;
  /** Name bound to every line, `tickflow` unless set. */
  readonly name?: string;
  /** File descriptor to write to: 2 (standard error) unless set, so standard output stays free for command results. */
  readonly fd?: number;
}

/**
 * Creates the root logger. Modules never import a global logger: they receive this one (or a
 * child of it) through their context, so tests can pass a silent or capturing logger.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const destination = pino.destination({ fd: options.fd ?? 2, sync: true });

  return pino(
    {
      name: options.name ?? 'tickflow',
      level: options.level ?? 'info',
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
}

/** Returns a logger that writes nothing, for tests and benchmarks. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
