import * as t from 'io-ts';
import { concatMap, of } from 'rxjs';
import { derivedEventId, PositiveNumber, type AnyEvent, type ForecastEvent } from '../../../lib/events/index.js';
import { defineStageKind } from '../../../lib/pipeline/stage-kind.js';

const WINDOW = 20;

/**
 * A deterministic stand-in for the `lstm` stage: forecasts the annualized volatility of the
 * last 20 close-to-close log returns, times `scale`. A different scale plays a different model.
 * Each forecast resolves on a later microtask, like a batched model call.
 */
export const fakeForecastStage = defineStageKind({
  kind: 'fake-forecast',
  description: 'rolling volatility times a scale, for tests',
  settings: t.exact(t.partial({ scale: PositiveNumber })),
  takes: ['bar'],
  emits: ['forecast'],
  create: (settings, context) => (events) => {
    const closes = new Map<string, number[]>();

    return events.pipe(
      concatMap(async (event): Promise<AnyEvent[]> => {
        if (event.type !== 'bar') return [];

        const series = closes.get(event.instrument) ?? [];
        series.push(event.data.close);
        closes.set(event.instrument, series.slice(-(WINDOW + 1)));
        await Promise.resolve();

        if (series.length <= WINDOW) return [];

        const window = series.slice(-(WINDOW + 1));
        const returns = window.slice(1).map((close, i) => Math.log(close / window[i]));
        const mean = returns.reduce((sum, value) => sum + value, 0) / returns.length;
        const deviation = Math.sqrt(returns.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (returns.length - 1));
        const forecast: ForecastEvent = {
          id: derivedEventId(event.id, 'forecast'),
          type: 'forecast',
          time: event.time,
          ingestTime: context.clock.now(),
          source: `pipeline:${context.pipelineId}/${context.stageName}`,
          correlationId: event.correlationId,
          instrument: event.instrument,
          data: { volatility: Math.max(1e-4, deviation * Math.sqrt(252) * (settings.scale ?? 1)), horizon: 1, modelId: 'fake', modelHash: `scale-${settings.scale ?? 1}`, inputHash: event.id, backend: 'cpu', price: event.data.close },
        };

        return [forecast];
      }),
      concatMap((list) => of(...list)),
    );
  },
});
