import type { ForecastEvent, SignalEvent } from '../../events/index.js';

/** Maps a forecast to its signal. Forecasts with source `api` give informational signals that never become orders. */
export interface SignalMapperPort {
  signalFor(forecast: ForecastEvent): SignalEvent | null;
}
