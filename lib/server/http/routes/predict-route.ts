import type Router from '@koa/router';
import type { BarEvent } from '../../../events/index.js';
import { hasErrorCode } from '../../../errors.js';
import type { ForecastResult } from '../../ports/index.js';
import type { ApiDeps } from '../api-deps.js';
import { decodeInput } from '../decode-input.js';
import { HttpError } from '../http-error.js';
import { unknownInstrument } from '../known-instrument.js';
import { PredictRequest, rejectUnknownPredictFields } from './predict-request.js';
import { barsFromRequest } from './request-bars.js';

/**
 * `POST /api/ml/lstm/predict`: forecasts from the bars given or the latest stored window,
 * publishes the forecast and its signal with source `api`, and returns both with the timing.
 */
export function registerPredictRoute(router: Router, deps: ApiDeps): void {
  router.post('/api/ml/lstm/predict', async (ctx) => {
    const body = await deps.readJson(ctx);

    rejectUnknownPredictFields(body);

    const request = decodeInput(PredictRequest, body, 'predict request');

    checkModelsLoaded(deps);

    const instrument = request.instrument;

    if (!deps.ports.forecaster.hasModel(instrument)) {
      throw unknownInstrument(instrument, deps.ports.bars.instruments());
    }

    const window = deps.ports.forecaster.windowLength(instrument);
    const bars = await inputBars(deps, request, window);
    const result = await forecast(deps, instrument, bars);

    checkForecast(deps, result, ctx.state.requestId);

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

/**
 * Refuses to publish a forecast whose volatility is not a finite number above zero. The bar
 * checks keep such input out, so one that still appears means the model itself is broken, and
 * publishing it would feed signals and the event log a null volatility.
 */
function checkForecast(deps: ApiDeps, result: ForecastResult, requestId: unknown): void {
  const { volatility, modelId, modelHash } = result.forecast.data;

  if (Number.isFinite(volatility) && volatility > 0) {
    return;
  }

  deps.logger.error({ requestId, instrument: result.forecast.instrument, modelId, modelHash, volatility }, 'model returned an invalid volatility; the forecast was not published');

  throw new HttpError('model-output-invalid', `model ${modelId} returned volatility ${String(volatility)}, not a finite number above zero; the forecast was not published`, {
    instrument: result.forecast.instrument,
    modelId,
  });
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
