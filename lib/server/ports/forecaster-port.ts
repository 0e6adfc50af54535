import type { BarEvent, ForecastEvent } from '../../events/index.js';

/** A forecast request: the bars are the input window, oldest first, at most the model's window long. */
export interface ForecastRequest {
  readonly instrument: string;
  readonly bars: readonly BarEvent[];
  /** Envelope source of the forecast: `api` for REST requests. */
  readonly source: string;
  readonly correlationId?: string;
  readonly time?: number;
}

/** Where the time of one forecast went, in milliseconds. */
export interface ForecastTiming {
  readonly queueMs: number;
  readonly inferenceMs: number;
  readonly totalMs: number;
}

export interface ForecastResult {
  readonly forecast: ForecastEvent;
  readonly timing: ForecastTiming;
}

/**
 * Runs a model on a window of bars through the same batcher as the `lstm` stage. Errors are
 * TickflowErrors: `model-not-found` for an unknown instrument, `too-few-bars` with `required`
 * and `received` in the details, `models-not-ready` before the models are loaded.
 */
export interface ForecasterPort {
  forecast(request: ForecastRequest): Promise<ForecastResult>;

  /** How many bars the instrument's model reads. */
  windowLength(instrument: string): number;

  hasModel(instrument: string): boolean;
}
