import { from, tap } from 'rxjs';
import { InProcessBus } from '../bus/index.js';
import { TickflowError } from '../errors.js';
import type { AnyEvent, OrderEvent, ReportData } from '../events/index.js';
import type { Logger } from '../observability/logger.js';
import { createMetricsRegistry } from '../observability/metrics.js';
import { createPipeline } from '../pipeline/create-pipeline.js';
import type { PipelineCounts } from '../pipeline/pipeline-run.js';
import type { PipelineSpec } from '../pipeline/pipeline-spec.js';
import type { StageRegistry } from '../pipeline/stage-registry.js';
import type { Services } from '../services.js';
import { VirtualClock } from '../time/clock.js';
import { PaperVenue } from '../trading/paper-venue.js';
import type { PaperVenueSettings } from '../trading/paper-venue-settings.js';
import { buildRunReport } from '../trading/run-report.js';
import { RunTally } from '../trading/run-tally.js';
import { compareRuns, type RunComparison } from './compare-runs.js';
import { DECISION_TYPES, MARKET_TYPES, readRecordedEvents } from './recorded-events.js';

export interface ReplayOptions {
  readonly spec: PipelineSpec;
  readonly logFile: string;
  readonly registry: StageRegistry;
  /** Services the stages need (the model cache and forecaster for `lstm`). */
  readonly services: Services;
  readonly logger: Logger;
  /** Event time range, UTC epoch milliseconds, both ends included. */
  readonly from?: number;
  readonly to?: number;
  readonly venue?: PaperVenueSettings;
}

export interface ReplayResult {
  readonly comparison: RunComparison;
  /** Report of the recorded orders, filled by a paper venue over the recorded bars. */
  readonly recorded: ReportData;
  readonly replayed: ReportData;
  readonly marketEvents: number;
  readonly counts: PipelineCounts;
}

/**
 * Runs the market events recorded in a log through a pipeline, on its own bus and a virtual
 * clock set to each event's time, and compares the forecasts, signals and orders it produces
 * with the ones the log holds for that pipeline.
 */
export async function replayLog(options: ReplayOptions): Promise<ReplayResult> {
  const selection = { instruments: options.spec.instruments.map((instrument) => instrument.id), from: options.from, to: options.to };
  // Stages keep state across bars (the lstm window, positions), so the run starts at the log's
  // first bar and only what falls in the range is compared: a range of an unchanged run is identical.
  const fed = readRecordedEvents(options.logFile, MARKET_TYPES, { ...selection, from: undefined });
  const inRange = (event: AnyEvent): boolean => options.from === undefined || event.time >= options.from;
  const market = fed.filter(inRange);
  const pipelineSource = `pipeline:${options.spec.id}/`;
  const recorded = readRecordedEvents(options.logFile, DECISION_TYPES, selection).filter((event) => event.source.startsWith(pipelineSource));

  if (market.length === 0) {
    throw new TickflowError('replay-empty', `event log ${options.logFile} has no bars or trades of ${selection.instruments.join(', ')} in the chosen time range`, { file: options.logFile, pipelineId: options.spec.id });
  }

  const replay = await runReplay(options, fed);
  const produced = replay.produced.filter(inRange);

  return {
    comparison: compareRuns(recorded, produced),
    recorded: recordedReport(options.venue, market, recorded),
    replayed: options.from === undefined ? replay.report : recordedReport(options.venue, market, produced),
    marketEvents: market.length,
    counts: replay.counts,
  };
}

async function runReplay(options: ReplayOptions, market: readonly AnyEvent[]): Promise<{ produced: AnyEvent[]; report: ReportData; counts: PipelineCounts }> {
  const bus = new InProcessBus(options.logger);
  const clock = new VirtualClock(market[0].time);
  const venue = new PaperVenue(options.venue ?? {}, { clock, logger: options.logger });
  const tally = new RunTally();
  const produced: AnyEvent[] = [];

  venue.attach(bus);
  tally.attach(bus);
  bus.subscribe(DECISION_TYPES, 'replay', (event) => produced.push(event));

  const source = from(market).pipe(tap((event) => clock.advanceTo(event.time)));
  const spec: PipelineSpec = { ...options.spec, outputs: { ...options.spec.outputs, bus: true } };
  const run = createPipeline(spec, { bus, logger: options.logger, metrics: createMetricsRegistry(), clock, services: options.services, registry: options.registry, source });

  run.start();
  const counts = await run.done();
  bus.close();

  if (counts.state === 'failed') {
    throw new TickflowError('replay-failed', `replay of pipeline ${options.spec.id} failed: ${counts.error ?? 'unknown error'}`, { pipelineId: options.spec.id });
  }

  return { produced, report: buildRunReport({ venue, counts: tally.counts }), counts };
}

function recordedReport(settings: PaperVenueSettings | undefined, market: readonly AnyEvent[], recorded: readonly AnyEvent[]): ReportData {
  const venue = new PaperVenue(settings ?? {}, { clock: new VirtualClock() });
  const tally = new RunTally();

  for (const event of market) {
    tally.count(event);

    if (event.type === 'bar') {
      venue.onBar(event);
    }
  }

  // Every bar is stored first: the venue fills each order at the first bar after it either way.
  for (const event of recorded) {
    tally.count(event);

    if (event.type === 'order') {
      venue.submit(event as OrderEvent);
    }
  }

  return buildRunReport({ venue, counts: tally.counts });
}
