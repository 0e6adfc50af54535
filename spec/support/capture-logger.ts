import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';

/** A pino logger that keeps every line it writes, parsed, for assertions. */
export function captureLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line.trim() !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      callback();
    },
  });

  return { logger: pino({ level: 'debug' }, sink), lines };
}
