import type Router from '@koa/router';
import type { BarEvent } from '../../../events/index.js';
import { hasErrorCode } from '../../../errors.js';
import type { ForecastResult } from '../../ports/index.js';
import type { ApiDeps } from '../api-deps.js';
import { decodeInput } from '../decode-input.js';
import { HttpError } from '../http-error.js';
import { unknownInstrument } from '../known-instrument.js';
import { PredictRequest } from './predict-request.js';
import { barsFromRequest } from './request-bars.js';

/**
 * `POST /api/ml/lstm/predict`: forecasts from the bars given or the latest stored window,
 * publishes the forecast and its signal with source `api`, and returns both with the timing.
 */
export function registerPredictRoute(router: Router, deps: ApiDeps): void {
  router.post('/api/ml/lstm/predict', async (ctx) => {
    const request = decodeInput(PredictRequest, await deps.readJson(ctx), 'predict request');

    checkModelsLoaded(deps);

    const instrument = request.instrument;

    if (!deps.ports.forecaster.hasModel(instrument)) {
      throw unknownInstrument(instrument, deps.ports.bars.instruments());
    }

    const window = deps.ports.forecaster.windowLength(instrument);
    const bars = await inputBars(deps, request, window);
    const result = await forecast(deps, instrument, bars);
    const signal = deps.ports.signals.signalFor(result.forecast);

    deps.bus.publish('forecast', result.forecast);

    if (signal !== null) {
      deps.bus.publish('signal', signal);
    }

    deps.metrics.observePredict(result.timing);
    ctx.body = { forecast: result.forecast, signal, timing: result.timing };
  });
}

async function inputBars(deps: ApiDeps, request: PredictRequest, window: number): Promise<readonly BarEvent[]> {
  const bars = request.bars === undefined
    ? await deps.ports.bars.latest(request.instrument, window)
    : barsFromRequest(request.instrument, request.bars, deps.clock.now());

  if (bars.length < window) {
    const origin = request.bars === undefined ? 'stored bars' : 'bars';

    throw new HttpError('too-few-bars', `the ${request.instrument} model needs ${window} bars, received ${bars.length} ${origin}`, {
      instrument: request.instrument,
      required: window,
      received: bars.length,
    });
  }

  return bars.slice(bars.length - window);
}

async function forecast(deps: ApiDeps, instrument: string, bars: readonly BarEvent[]): Promise<ForecastResult> {
  const last = bars[bars.length - 1];

  try {
    return await deps.ports.forecaster.forecast({ instrument, bars, source: 'api', correlationId: last.correlationId, time: last.time });
  } catch (error) {
    if (hasErrorCode(error, 'models-not-ready')) {
      throw modelsNotReady(deps);
    }

    throw error;
  }
}

function checkModelsLoaded(deps: ApiDeps): void {
  if (!deps.ports.readiness.modelsLoaded()) {
    throw modelsNotReady(deps);
  }
}

function modelsNotReady(deps: ApiDeps): HttpError {
  const seconds = deps.options.retryAfterSeconds;

  return new HttpError('models-not-ready', `models are still loading; retry in ${seconds} s`, { retryAfterSeconds: seconds }, { 'Retry-After': String(seconds) });
}
