import { performance } from 'node:perf_hooks';
import { Subscription } from 'rxjs';
import { InProcessBus, installUnhandledErrorHook, registerBusMetrics } from '../bus/index.js';
import type { EngineConfig } from '../config/index.js';
import { createDashboardRoutes } from '../dashboard/index.js';
import { TickflowError } from '../errors.js';
import { sourceEventId, type ReportData } from '../events/index.js';
import { FORECASTER, Forecaster, MODEL_CACHE, ModelCache, installReloadOnSighup, modelIdsOfPipelines, modelUsersOfPipelines, selectBackend } from '../model/index.js';
import type { Logger } from '../observability/logger.js';
import { createMetricsRegistry, type Registry } from '../observability/metrics.js';
import { createPipeline, type PipelineCounts, type PipelineRun, type PipelineSpec } from '../pipeline/index.js';
import { createHttpServer, type HttpServer } from '../server/index.js';
import { Services } from '../services.js';
import { EVENT_LOG, registerEventLogMetrics, SqliteEventLog } from '../store/index.js';
import { systemClock, type Clock } from '../time/clock.js';
import {
  API_SOURCE,
  buildRunReport,
  PAPER_VENUE,
  PaperVenue,
  RISK_CONTROL,
  RiskControl,
  RunTally,
  SignalMapper,
} from '../trading/index.js';
import { BarHistory } from './bar-history.js';
import { inferenceMetrics } from './inference-metrics.js';
import { accountCapital, instrumentsOf, loadPipelineSpecs, signalSettingsByInstrument } from './pipeline-specs.js';
import { withReplayPace } from './replay-pace.js';
import { startSummaryLog } from './run-summary.js';
import { buildServerPorts } from './server-ports.js';
import { defaultStageRegistry } from './stage-kinds.js';

export interface EngineOptions {
  readonly config: EngineConfig;
  readonly pipelineFiles: readonly string[];
  readonly logger: Logger;
  readonly clock?: Clock;
}

/**
 * The running engine: pipelines, models, event log, paper venue, REST, WebSocket and the
 * dashboard on one port. `start` brings the parts up in the order a user can follow in the
 * log; `stop` takes them down in the order that loses nothing.
 */
export class Engine {
  private readonly attachments = new Subscription();
  private stopSummary: () => void = () => undefined;
  private stopping: Promise<void> | undefined;
  private reportPromise: Promise<ReportData> | undefined;

  private constructor(
    readonly url: string,
    readonly port: number,
    readonly bus: InProcessBus,
    readonly metrics: Registry,
    readonly pipelines: readonly PipelineRun[],
    private readonly parts: {
      readonly logger: Logger;
      readonly server: HttpServer;
      readonly eventLog: SqliteEventLog;
      readonly cache: ModelCache;
      readonly removeSighup: () => void;
    },
  ) {}

  /** Starts every part and resolves once the pipelines run; throws on a startup error after releasing what had started. */
  static async start(options: EngineOptions): Promise<Engine> {
    const { config, logger } = options;
    const clock = options.clock ?? systemClock;
    const registry = defaultStageRegistry();
    const specs = await loadPipelineSpecs(options.pipelineFiles, registry);

    // selectBackend logs the backend it chose and why.
    await selectBackend(logger);

    const bus = new InProcessBus(logger.child({ component: 'bus' }));
    const metrics = createMetricsRegistry({ defaultMetrics: true });
    installUnhandledErrorHook(logger);
    registerBusMetrics(bus, metrics);

    const eventLog = await SqliteEventLog.open({ file: config.eventLog.path, retention: retentionOf(config) }, logger.child({ component: 'event-log' }));

    try {
      return await Engine.startWithLog({ options, clock, registry, specs, bus, metrics, eventLog });
    } catch (error) {
      await eventLog.close().catch(() => undefined);
      throw error;
    }
  }

  private static async startWithLog(context: StartContext): Promise<Engine> {
    const { options, clock, registry, specs, bus, metrics, eventLog } = context;
    const { config, logger } = options;

    registerEventLogMetrics(eventLog, metrics);

    if (eventLog.count() > 0) {
      logger.info({ file: config.eventLog.path, rows: eventLog.count() }, 'event log is not empty: events with stored ids are skipped as duplicates');
    }
    const attachments = new Subscription();
    const parts = buildParts(specs, config, { bus, clock, logger, eventLog, metrics });

    // NOTE: the log records every bus event once any pipeline sets `outputs.log`; a pipeline with
    // `outputs.log: false` beside one with `true` is still recorded.
    if (specs.some((spec) => spec.outputs.log)) {
      attachments.add(eventLog.attach(bus));
    }

    attachments.add(parts.venue.attach(bus));
    attachments.add(parts.bars.attach(bus));
    attachments.add(parts.tally.attach(bus));

    const pipelineRuns: PipelineRun[] = [];
    const server = createHttpServer({
      bus,
      logger,
      metrics,
      clock,
      options: serverOptionsOf(config),
      ports: buildServerPorts({
        forecaster: parts.forecaster,
        cache: parts.cache,
        eventLog,
        bars: parts.bars,
        venue: parts.venue,
        risk: parts.risk,
        apiSignals: parts.apiSignals,
        pipelines: () => pipelineRuns,
        extraRoutes: createDashboardRoutes({ instruments: () => parts.bars.instruments(), maxQueue: config.websocket.maxQueue }),
      }),
    });

    try {
      const { port } = await listenOrExplain(server, config.server.host, config.server.port);
      await preloadModels(parts.cache, specs, logger);

      for (const spec of specs) {
        const paced = await withReplayPace(spec, config.replay, { logger, clock });
        pipelineRuns.push(createPipeline(paced, { bus, logger, metrics, clock, services: parts.services, registry }));
      }

      const engine = new Engine(urlOf(config.server.host, port), port, bus, metrics, pipelineRuns, {
        logger,
        server,
        eventLog,
        cache: parts.cache,
        removeSighup: installReloadOnSighup(parts.cache, logger),
      });

      engine.attachments.add(attachments);
      return engine.run(parts, config, clock);
    } catch (error) {
      attachments.unsubscribe();
      await server.close().catch(() => undefined);
      parts.cache.dispose();
      throw error;
    }
  }

  /** Resolves with the run report once every pipeline has ended (a replay reached its end, or the engine stopped). */
  get report(): Promise<ReportData> {
    return this.reportPromise ?? Promise.reject(new Error('engine not started'));
  }

  /** Stops in order: sources, pipeline drain, event log flush, WebSocket sessions (1001), the server. Later calls share the first. */
  stop(): Promise<void> {
    this.stopping ??= this.shutDown();
    return this.stopping;
  }

  private run(parts: EngineParts, config: EngineConfig, clock: Clock): Engine {
    const { logger } = this.parts;

    for (const pipeline of this.pipelines) {
      pipeline.start();
    }

    for (const failed of this.pipelines.filter((run) => run.state === 'failed')) {
      logger.error({ pipeline: failed.id, reason: failed.counts().error }, 'pipeline failed to start; the other pipelines keep running');
    }

    logger.info({ pipelines: this.pipelines.map((run) => ({ id: run.id, state: run.state })) }, 'pipelines started');
    logger.info({ url: this.url }, `open ${this.url} for the dashboard`);

    this.stopSummary = startSummaryLog(this.bus, () => this.parts.server.gateway.stats().sessions, logger, config.log.summaryIntervalSeconds * 1000);

    this.reportPromise = Promise.all(this.pipelines.map((run) => run.done())).then((counts) => this.finishRun(parts, counts, clock));

    return this;
  }

  private async finishRun(parts: EngineParts, counts: readonly PipelineCounts[], clock: Clock): Promise<ReportData> {
    const { logger, eventLog } = this.parts;

    await eventLog.flush();

    const report = buildRunReport({ venue: parts.venue, counts: parts.tally.counts, log: { headHash: eventLog.headHash(), rowCount: eventLog.count() } });
    const time = clock.now();

    logger.info({ pipelines: counts.map((count, index) => ({ id: this.pipelines[index].id, ...count })), report }, 'run report');

    if (!this.bus.closed) {
      this.bus.publish('report', {
        id: sourceEventId('engine:report', time),
        type: 'report',
        time,
        ingestTime: time,
        source: 'engine',
        correlationId: sourceEventId('engine:report', time),
        instrument: parts.bars.instruments()[0] ?? 'ALL',
        data: report,
      });
    }

    return report;
  }

  private async shutDown(): Promise<void> {
    const { logger, server, eventLog, cache } = this.parts;

    logger.info('shutting down');
    this.stopSummary();
    this.parts.removeSighup();

    const counts = await Promise.all(this.pipelines.map((run) => run.stop()));
    logger.info({ pipelines: counts.map((count, index) => ({ id: this.pipelines[index].id, state: count.state, in: count.in, out: count.out, deadLettered: count.deadLettered })) }, 'pipelines drained');

    await eventLog.flush();
    await server.close();

    this.attachments.unsubscribe();
    this.bus.close();
    await eventLog.close();
    cache.dispose();

    logger.info({ rows: eventLog.count(), accepted: eventLog.counters().accepted, headHash: eventLog.headHash() }, 'engine stopped');
  }
}

interface StartContext {
  readonly options: EngineOptions;
  readonly clock: Clock;
  readonly registry: ReturnType<typeof defaultStageRegistry>;
  readonly specs: readonly PipelineSpec[];
  readonly bus: InProcessBus;
  readonly metrics: Registry;
  readonly eventLog: SqliteEventLog;
}

interface EngineParts {
  readonly services: Services;
  readonly cache: ModelCache;
  readonly forecaster: Forecaster;
  readonly venue: PaperVenue;
  readonly risk: RiskControl;
  readonly bars: BarHistory;
  readonly tally: RunTally;
  readonly apiSignals: Map<string, SignalMapper>;
}

function buildParts(
  specs: readonly PipelineSpec[],
  config: EngineConfig,
  deps: { readonly bus: InProcessBus; readonly clock: Clock; readonly logger: Logger; readonly eventLog: SqliteEventLog; readonly metrics: Registry },
): EngineParts {
  const cache = new ModelCache({ modelsDir: config.models.dir, logger: deps.logger.child({ component: 'models' }) });
  const forecaster = new Forecaster({ cache, clock: deps.clock, onBatch: inferenceMetrics(deps.metrics) });
  const risk = new RiskControl(deps.logger.child({ component: 'risk' }));
  const capital = accountCapital(specs);
  const venue = new PaperVenue(capital === undefined ? {} : { capital }, { clock: deps.clock, logger: deps.logger.child({ component: 'venue' }) });
  const instruments = instrumentsOf(specs);
  const bars = new BarHistory(() => instruments);
  const apiSignals = new Map<string, SignalMapper>();

  for (const [instrument, settings] of signalSettingsByInstrument(specs)) {
    apiSignals.set(instrument, new SignalMapper(settings, { source: API_SOURCE, now: () => deps.clock.now() }));
  }

  const services = new Services()
    .set(MODEL_CACHE, cache)
    .set(FORECASTER, forecaster)
    .set(RISK_CONTROL, risk)
    .set(PAPER_VENUE, venue)
    .set(EVENT_LOG, deps.eventLog);

  return { services, cache, forecaster, venue, risk, bars, tally: new RunTally(), apiSignals };
}

async function preloadModels(cache: ModelCache, specs: readonly PipelineSpec[], logger: Logger): Promise<void> {
  const modelIds = modelIdsOfPipelines(specs);
  const started = performance.now();

  await cache.preload(modelIds, modelUsersOfPipelines(specs));

  logger.info({ models: cache.list().map((model) => ({ id: model.modelId, hash: model.modelHash })), ms: Math.round(performance.now() - started) }, 'models loaded');
}

function retentionOf(config: EngineConfig): { maxAgeMs?: number; maxRows?: number } {
  const { maxAgeDays, maxRows } = config.eventLog.retention;

  return {
    ...(maxAgeDays > 0 ? { maxAgeMs: Math.round(maxAgeDays * 86_400_000) } : {}),
    ...(maxRows > 0 ? { maxRows } : {}),
  };
}

function serverOptionsOf(config: EngineConfig) {
  return {
    apiKeys: config.auth.apiKeys,
    corsOrigins: config.server.corsOrigins,
    bodyLimitBytes: config.server.bodyLimitBytes,
    readTimeoutMs: config.server.readTimeoutMs,
    ws: { defaultMaxQueue: config.websocket.maxQueue, heartbeatMs: config.websocket.heartbeatIntervalMs },
  };
}

/** Listens, turning the usual address errors into messages that name the setting to change. */
async function listenOrExplain(server: HttpServer, host: string, port: number): Promise<{ port: number }> {
  try {
    return await server.listen(port, host);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;

    if (code === 'EADDRINUSE') {
      throw new TickflowError('port-in-use', `port ${port} on ${host} is already in use; stop the process that holds it, or choose another port with --port N or PORT=N`, { host, port }, { cause: error });
    }

    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
      throw new TickflowError('host-unavailable', `cannot listen on host "${host}" (${code}); use an address of this machine, such as 127.0.0.1, with --host or HOST`, { host, port }, { cause: error });
    }

    throw error;
  }
}

function urlOf(host: string, port: number): string {
  const shown = host.includes(':') ? `[${host}]` : host;

  return `http://${shown}:${port}/`;
}
