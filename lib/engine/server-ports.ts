import type { ForecastEvent, SignalEvent } from '../events/index.js';
import type { Forecaster, ModelCache } from '../model/index.js';
import type { PipelineRun } from '../pipeline/index.js';
import type { ServerPorts } from '../server/index.js';
import type { ExtraRoutesPort } from '../server/ports/index.js';
import type { EventLog } from '../store/index.js';
import type { PaperVenue, RiskControl, SignalMapper } from '../trading/index.js';
import type { BarHistory } from './bar-history.js';

/** The engine's parts that the server's ports are built from. */
export interface EnginePartsForServer {
  readonly forecaster: Forecaster;
  readonly cache: ModelCache;
  readonly eventLog: EventLog;
  readonly bars: BarHistory;
  readonly venue: PaperVenue;
  readonly risk: RiskControl;
  /** Signal mapper for REST forecasts, by instrument. */
  readonly apiSignals: ReadonlyMap<string, SignalMapper>;
  readonly pipelines: () => readonly PipelineRun[];
  readonly extraRoutes?: ExtraRoutesPort;
}

/** Adapts the engine's parts to the server's ports; every adapter is a thin pass-through. */
export function buildServerPorts(parts: EnginePartsForServer): ServerPorts {
  return {
    forecaster: {
      forecast: (request) =>
        parts.forecaster.forecast({
          instrument: request.instrument,
          source: request.source,
          bars: request.bars.map((bar) => ({ time: bar.time, open: bar.data.open, high: bar.data.high, low: bar.data.low, close: bar.data.close })),
          ...(request.correlationId === undefined ? {} : { correlationId: request.correlationId }),
          ...(request.time === undefined ? {} : { time: request.time }),
        }),
      windowLength: (instrument) => parts.forecaster.windowLength(instrument) ?? 0,
      hasModel: (instrument) => parts.forecaster.hasModel(instrument),
    },
    signals: { signalFor: (forecast: ForecastEvent): SignalEvent | null => parts.apiSignals.get(forecast.instrument)?.signalFor(forecast) ?? null },
    events: { query: (query) => parts.eventLog.query(query) },
    bars: parts.bars,
    positions: { positions: () => parts.venue.positions() },
    risk: parts.risk,
    models: { reload: (modelId) => parts.cache.reload(modelId), list: () => parts.cache.list() },
    readiness: {
      modelsLoaded: () => parts.cache.ready,
      logWritable: () => parts.eventLog.isWritable(),
      pipelinesRunning: () => parts.pipelines().every((run) => run.state === 'running' || run.state === 'completed'),
    },
    ...(parts.extraRoutes === undefined ? {} : { extraRoutes: parts.extraRoutes }),
  };
}
