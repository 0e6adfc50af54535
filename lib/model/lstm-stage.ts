import * as t from 'io-ts';
import { defer, from, mergeMap, of, type Observable } from 'rxjs';
import { derivedEventId, NonEmptyString, PositiveInteger, type AnyEvent, type BarEvent, type DeadLetterEvent, type ForecastEvent } from '../events/index.js';
import { toError } from '../errors.js';
import { defineStageKind } from '../pipeline/stage-kind.js';
import type { StageContext } from '../pipeline/stage-context.js';
import { FORECASTER, type Forecaster, type Prediction } from './forecaster.js';
import { MODEL_CACHE, type ModelCache } from './model-cache.js';
import { isUsableVolatility } from './model-output.js';
import type { DailyObservation } from './daily-series.js';
import { RollingDays } from './rolling-days.js';

/** Settings of the `lstm` stage. */
export const LstmStageSettings = t.exact(
  t.partial({
    /** Model id, the folder under `models/`; each instrument's own id unless set. */
    model: NonEmptyString,
    batch: t.exact(t.partial({ maxSize: PositiveInteger })),
  }),
  'LstmStageSettings',
);
export type LstmStageSettings = t.TypeOf<typeof LstmStageSettings>;

/** Stage kind `lstm`: forecasts volatility from a rolling window of bars per instrument. */
export const lstmStageKind = defineStageKind<LstmStageSettings>({
  kind: 'lstm',
  description: 'forecasts each instrument\'s volatility with its LSTM model once the window of bars is full',
  settings: LstmStageSettings,
  takes: ['bar'],
  emits: ['forecast', 'deadletter'],
  create: (settings, context) => (source) => lstmOperator(settings, context, source),
});

/** Models the stage needs, for the engine to preload. */
export function lstmStageModelIds(settings: LstmStageSettings, instruments: readonly string[]): string[] {
  return settings.model === undefined ? [...instruments] : [settings.model];
}

/** The parts of a pipeline spec that name models; the ids and names only serve messages. */
export interface PipelineModelRefs {
  readonly id?: string;
  readonly instruments: readonly { readonly id: string }[];
  readonly stages: readonly { readonly kind: string; readonly name?: string; readonly settings: unknown }[];
}

/** Lists every model id the `lstm` stages of the pipelines name, without repeats, for `ModelCache.preload`. */
export function modelIdsOfPipelines(pipelines: readonly PipelineModelRefs[]): string[] {
  const ids = pipelines.flatMap((pipeline) =>
    pipeline.stages
      .filter((stage) => stage.kind === lstmStageKind.kind && LstmStageSettings.is(stage.settings))
      .flatMap((stage) => lstmStageModelIds(stage.settings as LstmStageSettings, pipeline.instruments.map((instrument) => instrument.id))),
  );

  return [...new Set(ids)];
}

/**
 * Lists, for each model id, the stages that ask for it (`stage "lstm" of pipeline "spx"`), for
 * `ModelCache.preload`, so a missing model's error names the setting to fix.
 */
export function modelUsersOfPipelines(pipelines: readonly PipelineModelRefs[]): Map<string, string[]> {
  const users = new Map<string, string[]>();

  for (const pipeline of pipelines) {
    for (const stage of pipeline.stages.filter((candidate) => candidate.kind === lstmStageKind.kind && LstmStageSettings.is(candidate.settings))) {
      const label = `stage "${stage.name ?? stage.kind}"${pipeline.id === undefined ? '' : ` of pipeline "${pipeline.id}"`}`;

      for (const modelId of lstmStageModelIds(stage.settings as LstmStageSettings, pipeline.instruments.map((instrument) => instrument.id))) {
        users.set(modelId, [...new Set([...(users.get(modelId) ?? []), label])]);
      }
    }
  }

  return users;
}

function lstmOperator(settings: LstmStageSettings, context: StageContext, source: Observable<AnyEvent>): Observable<AnyEvent> {
  const cache = context.services.require(MODEL_CACHE);
  const forecaster = context.services.require(FORECASTER);
  const windows = new Map<string, RollingDays>();
  const stageSource = `pipeline:${context.pipelineId}/${context.stageName}`;

  // Loading before the first bar keeps a burst of replayed bars from racing the load.
  return defer(() => from(loadModels(cache, settings, context))).pipe(
    mergeMap(() => source),
    mergeMap((event) => (event.type === 'bar' ? forecastBar(event) : of())),
  );

  function forecastBar(bar: BarEvent): Observable<AnyEvent> {
    const modelId = settings.model ?? bar.instrument;
    const model = cache.current(modelId);

    if (model === undefined) {
      return of(deadLetter(bar, 'model-not-found', `no model "${modelId}" is loaded for instrument ${bar.instrument}`, context));
    }

    const rolling = windows.get(bar.instrument) ?? new RollingDays();
    windows.set(bar.instrument, rolling);
    const days = rolling.push(bar, model.meta);

    if (days === undefined) {
      return of();
    }

    return from(runForecast(forecaster, modelId, days, settings, bar, stageSource, context));
  }
}

async function loadModels(cache: ModelCache, settings: LstmStageSettings, context: StageContext): Promise<void> {
  for (const modelId of lstmStageModelIds(settings, context.instruments)) {
    try {
      await cache.get(modelId);
    } catch (error) {
      context.logger.error({ err: toError(error), modelId, pipelineId: context.pipelineId, stage: context.stageName }, `model ${modelId} of stage "${context.stageName}" could not be loaded; its bars go to the dead-letter stream`);
    }
  }
}

async function runForecast(forecaster: Forecaster, modelId: string, days: readonly DailyObservation[], settings: LstmStageSettings, bar: BarEvent, source: string, context: StageContext): Promise<AnyEvent> {
  try {
    const result = await forecaster.predict(modelId, days, settings.batch?.maxSize);
    const { volatility } = result.value;

    // NaN or a volatility of zero would fail the forecast codec further on, or size a position from nothing.
    if (!isUsableVolatility(volatility)) {
      context.logger.warn({ eventId: bar.id, modelId, modelHash: result.value.modelHash, volatility: String(volatility) }, 'model gave no usable volatility');
      return deadLetter(bar, 'model-output-invalid', `model "${modelId}" version ${result.value.modelHash} gave volatility ${String(volatility)}: a forecast needs a finite volatility above zero`, context);
    }

    return forecastEvent(bar, result.value, source, context);
  } catch (error) {
    context.logger.warn({ err: toError(error), eventId: bar.id, modelId }, 'forecast failed');
    return deadLetter(bar, 'forecast-failed', `forecast with model "${modelId}" failed: ${toError(error).message}`, context);
  }
}

function forecastEvent(bar: BarEvent, prediction: Prediction, source: string, context: StageContext): ForecastEvent {
  return {
    id: derivedEventId(bar.id, 'forecast'),
    type: 'forecast',
    time: bar.time,
    ingestTime: context.clock.now(),
    source,
    correlationId: bar.correlationId,
    instrument: bar.instrument,
    data: { ...prediction },
  };
}

function deadLetter(bar: BarEvent, code: string, reason: string, context: StageContext): DeadLetterEvent {
  return {
    id: derivedEventId(bar.id, 'deadletter'),
    type: 'deadletter',
    time: bar.time,
    ingestTime: context.clock.now(),
    source: `pipeline:${context.pipelineId}/${context.stageName}`,
    correlationId: bar.correlationId,
    instrument: bar.instrument,
    data: { raw: JSON.stringify(bar), reason, code },
  };
}
