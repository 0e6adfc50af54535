import type { BarStorePort } from '../ports/index.js';
import { HttpError } from './http-error.js';

/** Throws `unknown-instrument` (404) unless the bar store knows the instrument. */
export function requireKnownInstrument(bars: BarStorePort, instrument: string): void {
  if (!bars.instruments().includes(instrument)) {
    throw unknownInstrument(instrument, bars.instruments());
  }
}

export function unknownInstrument(instrument: string, known: readonly string[]): HttpError {
  return new HttpError('unknown-instrument', `unknown instrument ${JSON.stringify(instrument)}; known instruments: ${known.join(', ') || 'none'}`, { instrument });
}
