import { performance } from 'node:perf_hooks';
import { TickflowError } from '../errors.js';
import { derivedEventId, sha256, sourceEventId, type ForecastEvent } from '../events/index.js';
import { ServiceKey } from '../services.js';
import type { Clock } from '../time/clock.js';
import { activeBackend } from './backend.js';
import { dailyFromIntraday, type DailyObservation } from './daily-series.js';
import { inputHashOf, windowLengthOf } from './inference-input.js';
import { MicroBatcher, type Batched } from './micro-batcher.js';
import type { ModelCache } from './model-cache.js';
import { isUsableVolatility, modelOutputInvalid } from './model-output.js';
import { parseDayBoundary } from './daily-series.js';

/** One forecast before it becomes an event. */
export interface Prediction {
  /** Annualized volatility, as a fraction. */
  readonly volatility: number;
  readonly horizon: number;
  readonly modelId: string;
  readonly modelHash: string;
  readonly inputHash: string;
  readonly backend: string;
  /** Close of the last day of the input window. */
  readonly price: number;
}

/** A bar as a REST client sends it; open, high and low are optional for close-only data. */
export interface BarInput {
  readonly time: number;
  readonly close: number;
  readonly open?: number;
  readonly high?: number;
  readonly low?: number;
}

export interface ForecastRequest {
  readonly instrument: string;
  /** Oldest first; the last `windowLength(instrument)` bars are used. */
  readonly bars: readonly BarInput[];
  /** The event source, such as `api`. */
  readonly source: string;
  readonly correlationId?: string;
  /** Event time of the forecast; the last bar's time unless set. */
  readonly time?: number;
}

export interface ForecastResponse {
  readonly forecast: ForecastEvent;
  readonly timing: { readonly queueMs: number; readonly inferenceMs: number; readonly totalMs: number };
}

export interface ForecasterOptions {
  readonly cache: ModelCache;
  readonly clock: Clock;
  /** Largest batch of one predict call; 64 unless set. */
  readonly maxBatchSize?: number;
  /** Called once per predict call with its size and duration, for metrics. */
  readonly onBatch?: (modelId: string, size: number, seconds: number) => void;
}

interface WindowRequest {
  readonly days: readonly DailyObservation[];
  readonly inputHash: string;
}

/**
 * Runs forecasts through one micro-batcher per model, for the `lstm` stage and for the REST
 * endpoint alike, so requests that arrive together share one predict call.
 */
export class Forecaster {
  private readonly batchers = new Map<string, MicroBatcher<WindowRequest, Prediction>>();
  readonly maxBatchSize: number;

  constructor(private readonly options: ForecasterOptions) {
    this.maxBatchSize = options.maxBatchSize ?? 64;
  }

  /** Forecasts from the last days of a series; `days` must hold at least the model's window length. */
  predict(modelId: string, days: readonly DailyObservation[], maxBatchSize = this.maxBatchSize): Promise<Batched<Prediction>> {
    return this.batcherFor(modelId, maxBatchSize).submit({ days, inputHash: inputHashOf(days) });
  }

  /**
   * Forecasts from bars sent by a client; rejects with `models-not-ready`, `model-not-found`,
   * `too-few-bars`, or `model-output-invalid` when the model gives no finite volatility above zero.
   */
  async forecast(request: ForecastRequest): Promise<ForecastResponse> {
    const started = performance.now();
    const { cache } = this.options;

    if (!cache.ready) {
      throw new TickflowError('models-not-ready', 'models are still loading: retry when /ready reports ready', { instrument: request.instrument });
    }

    if (cache.current(request.instrument) === undefined && !cache.exists(request.instrument)) {
      throw new TickflowError('model-not-found', `no model for instrument "${request.instrument}": train one with \`tickflow train --instrument ${request.instrument}\``, { instrument: request.instrument });
    }

    const model = await cache.get(request.instrument);
    const days = daysOf(request.bars, model.meta.input);
    const required = windowLengthOf(model.meta);

    if (days.length < required) {
      throw new TickflowError('too-few-bars', `model "${model.modelId}" needs ${required} ${model.meta.input.kind === 'intraday' ? 'days' : 'bars'} but the request has ${days.length}`, { instrument: request.instrument, required, received: days.length });
    }

    const result = await this.predict(model.modelId, days.slice(days.length - required));
    const { volatility } = result.value;

    if (!isUsableVolatility(volatility)) {
      throw modelOutputInvalid(model.modelId, volatility, `for instrument ${request.instrument}`, { instrument: request.instrument, modelHash: result.value.modelHash, inputHash: result.value.inputHash });
    }

    return { forecast: this.toEvent(request, result.value), timing: { queueMs: result.queueMs, inferenceMs: result.inferenceMs, totalMs: performance.now() - started } };
  }

  /** Bars one forecast needs for an instrument (days, for models trained on intraday data); undefined when no model is loaded. */
  windowLength(instrument: string): number | undefined {
    const model = this.options.cache.current(instrument);
    return model === undefined ? undefined : windowLengthOf(model.meta);
  }

  hasModel(instrument: string): boolean {
    return this.options.cache.current(instrument) !== undefined;
  }

  private batcherFor(modelId: string, maxSize: number): MicroBatcher<WindowRequest, Prediction> {
    const key = `${modelId}#${maxSize}`;
    let batcher = this.batchers.get(key);

    if (batcher === undefined) {
      batcher = new MicroBatcher((requests) => this.runBatch(modelId, requests), maxSize);
      this.batchers.set(key, batcher);
    }

    return batcher;
  }

  /**
   * Runs one batch on the version that is current when the batch starts. The loaded version is
   * taken without an await when there is one, so a hot swap cannot dispose it before the
   * prediction holds its lease.
   */
  private async runBatch(modelId: string, requests: readonly WindowRequest[]): Promise<Prediction[]> {
    const model = this.options.cache.current(modelId) ?? (await this.options.cache.get(modelId));
    const started = performance.now();
    const volatilities = await model.predictVolatilities(requests.map((request) => request.days));
    const backend = activeBackend();

    this.options.onBatch?.(modelId, requests.length, (performance.now() - started) / 1000);

    return requests.map((request, i) => ({
      volatility: volatilities[i],
      horizon: model.meta.horizon,
      modelId,
      modelHash: model.hash,
      inputHash: request.inputHash,
      backend,
      price: request.days[request.days.length - 1].close,
    }));
  }

  private toEvent(request: ForecastRequest, prediction: Prediction): ForecastEvent {
    const id = derivedEventId(sourceEventId(request.source, forecastKey(prediction)), 'forecast');
    const lastBar = request.bars[request.bars.length - 1];

    return {
      id,
      type: 'forecast',
      time: request.time ?? lastBar.time,
      ingestTime: this.options.clock.now(),
      source: request.source,
      correlationId: request.correlationId ?? id,
      instrument: request.instrument,
      data: { ...prediction },
    };
  }
}

/** The forecaster in the services container. */
export const FORECASTER = new ServiceKey<Forecaster>('forecaster');

/**
 * Short hash of everything that decides a REST forecast's output: the input, the model version,
 * the horizon and the backend. The same request on the same model keeps its id, so a retry is
 * dropped as a repeat, while a new model version gets a new id instead of being dropped.
 */
function forecastKey(prediction: Prediction): string {
  const { inputHash, modelId, modelHash, horizon, backend } = prediction;

  return sha256(JSON.stringify([inputHash, modelId, modelHash, horizon, backend])).slice(0, 16);
}

function daysOf(bars: readonly BarInput[], input: { kind: string; dayBoundary?: string }): DailyObservation[] {
  if (input.kind === 'intraday') {
    return dailyFromIntraday(bars.map((bar) => ({ time: bar.time, price: bar.close })), parseDayBoundary(input.dayBoundary ?? '00:00'));
  }

  return bars.map((bar) => ({ time: bar.time, open: bar.open, high: bar.high, low: bar.low, close: bar.close }));
}
