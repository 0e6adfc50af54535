import type { AnyEvent, BarEvent, ForecastEvent, SignalEvent } from '../../../lib/events/index.js';
import { derivedEventId, sourceEventId } from '../../../lib/events/index.js';
import { TickflowError } from '../../../lib/errors.js';
import type { EventPage, EventQuery, ForecastRequest, ForecastResult, ServerPorts } from '../../../lib/server/index.js';

export const WINDOW = 5;
const DAY_MS = 86_400_000;

/** A bar of instrument at day `day` (from 2000-01-03), with prices that move with the day. */
export function makeBar(instrument: string, day: number, close = 100 + day, source = 'csv:test'): BarEvent {
  const time = Date.UTC(2000, 0, 3) + day * DAY_MS;
  const id = sourceEventId(source, `${instrument}:${day}`);

  return {
    id,
    type: 'bar',
    time,
    ingestTime: time,
    source,
    correlationId: id,
    instrument,
    data: { open: close - 1, high: close + 2, low: close - 2, close, volume: 1000 + day, interval: DAY_MS },
  };
}

/** The state behind the fake ports, open for tests to change. */
export interface FakeState {
  bars: Map<string, BarEvent[]>;
  log: AnyEvent[];
  halted: boolean;
  haltReason?: string;
  modelsLoaded: boolean;
  logWritable: boolean;
  pipelinesRunning: boolean;
  reloads: (string | undefined)[];
  forecastCalls: ForecastRequest[];
  /** When set, the forecaster throws it. */
  forecastError?: unknown;
  /** When set, the forecast carries this volatility instead of 0.2. */
  forecastVolatility?: number;
  /** When set, model reloads throw it. */
  reloadError?: unknown;
  /** When set, the event query throws it. */
  queryError?: unknown;
  /** When set, event queries wait for it, so a test can publish while history is being read. */
  queryGate?: Promise<void>;
  /** Pages as the SQLite event log returns them: always a cursor, and `more` for whether events follow. */
  pagesWithMore?: boolean;
  queries: number;
}

/** In-memory stand-ins for the model, the event log and the venue, with the shapes of the real ones. */
export function fakePorts(state: Partial<FakeState> = {}): { ports: ServerPorts; state: FakeState } {
  const full: FakeState = {
    bars: new Map([['SPX', Array.from({ length: 30 }, (_, day) => makeBar('SPX', day))]]),
    log: [],
    halted: false,
    modelsLoaded: true,
    logWritable: true,
    pipelinesRunning: true,
    reloads: [],
    forecastCalls: [],
    queries: 0,
    ...state,
  };

  const ports: ServerPorts = {
    forecaster: {
      forecast: async (request) => {
        full.forecastCalls.push(request);

        if (full.forecastError !== undefined) {
          throw full.forecastError;
        }

        return fakeForecast(request, full.forecastVolatility ?? 0.2);
      },
      windowLength: () => WINDOW,
      hasModel: (instrument) => full.bars.has(instrument),
    },
    signals: { signalFor: fakeSignal },
    events: {
      query: (query) => (full.queryGate === undefined ? queryLog(full, query) : full.queryGate.then(() => queryLog(full, query))),
    },
    bars: {
      instruments: () => [...full.bars.keys()],
      latest: (instrument, count) => (full.bars.get(instrument) ?? []).slice(-count),
      range: (instrument, range) => (full.bars.get(instrument) ?? []).filter((bar) => bar.time >= (range.from ?? 0) && bar.time <= (range.to ?? Infinity)),
    },
    positions: { positions: () => [{ instrument: 'SPX', quantity: 3, pnl: 12.5 }] },
    risk: {
      halt: (reason) => {
        full.halted = true;
        full.haltReason = reason;
      },
      resume: () => {
        full.halted = false;
      },
      get halted() {
        return full.halted;
      },
    },
    models: {
      reload: async (modelId) => {
        full.reloads.push(modelId);

        if (full.reloadError !== undefined) {
          throw full.reloadError;
        }
      },
      list: () => [{ modelId: 'SPX', modelHash: 'abc', window: WINDOW, horizon: 1 }],
    },
    readiness: {
      modelsLoaded: () => full.modelsLoaded,
      logWritable: () => full.logWritable,
      pipelinesRunning: () => full.pipelinesRunning,
    },
  };

  return { ports, state: full };
}

function fakeForecast(request: ForecastRequest, volatility: number): ForecastResult {
  if (request.bars.length < WINDOW) {
    throw new TickflowError('too-few-bars', 'too few bars', { required: WINDOW, received: request.bars.length });
  }

  const last = request.bars[request.bars.length - 1];
  const forecast: ForecastEvent = {
    id: derivedEventId(last.id, 'forecast', request.source),
    type: 'forecast',
    time: last.time,
    ingestTime: last.time,
    source: request.source,
    correlationId: request.correlationId ?? last.correlationId,
    instrument: request.instrument,
    data: { volatility, horizon: 1, modelId: request.instrument, modelHash: 'abc', inputHash: 'def', backend: 'cpu', price: last.data.close },
  };

  return { forecast, timing: { queueMs: 0.1, inferenceMs: 1, totalMs: 1.1 } };
}

function fakeSignal(forecast: ForecastEvent): SignalEvent {
  return {
    id: derivedEventId(forecast.id, 'signal'),
    type: 'signal',
    time: forecast.time,
    ingestTime: forecast.ingestTime,
    source: forecast.source,
    correlationId: forecast.correlationId,
    instrument: forecast.instrument,
    data: { targetPosition: 0.5, previousPosition: 0, rule: 'vol-target', forecastVolatility: forecast.data.volatility, price: forecast.data.price, informational: forecast.source === 'api' },
  };
}

/** Pages forward through the log; the cursor is the index of the next event. */
function queryLog(state: FakeState, query: EventQuery): EventPage {
  state.queries++;

  if (state.queryError !== undefined) {
    throw state.queryError;
  }

  const matching = state.log.filter(
    (event) =>
      (query.types === undefined || query.types.includes(event.type)) &&
      (query.instrument === undefined || event.instrument === query.instrument) &&
      event.time >= (query.from ?? 0) &&
      event.time <= (query.to ?? Infinity),
  );
  const start = query.cursor === undefined ? 0 : Number(query.cursor);
  const events = matching.slice(start, start + query.limit);
  const next = start + events.length;

  if (state.pagesWithMore === true) {
    return { events, nextCursor: String(next), more: next < matching.length };
  }

  return { events, nextCursor: next < matching.length ? String(next) : null };
}
