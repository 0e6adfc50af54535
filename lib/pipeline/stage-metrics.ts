import { performance } from 'node:perf_hooks';
import { Counter, Histogram, Registry } from 'prom-client';
import type { AnyEvent, EventType } from '../events/index.js';

/** Chains whose entry time is kept for latency; the map is cleared when full, so a stage that filters events cannot grow it. */
const MAX_TRACKED = 4096;

/** One input in this many is timed, because a labelled prom-client call costs about a microsecond. */
const LATENCY_SAMPLE_EVERY = 16;

const LATENCY_BUCKETS = [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5];

/** The stage metrics of every pipeline on one registry, read when Prometheus scrapes. */
const stagesByRegistry = new WeakMap<Registry, Set<StageMetrics>>();

/**
 * Counts and latencies of one stage. Counts are plain numbers that the registry reads when it
 * is scraped, as the bus does. Latency runs from the stage taking an event to its first output
 * with the same correlation id. Only one input in 16 is timed, so the other events cost an
 * increment on the way in and a map lookup on the way out.
 */
export class StageMetrics {
  eventsIn = 0;
  readonly emitted = new Map<EventType, number>();
  private readonly latency: { observe(value: number): void };
  private readonly entered = new Map<string, number>();

  constructor(
    registry: Registry,
    readonly pipeline: string,
    readonly stage: string,
  ) {
    registerCollectors(registry);
    stagesByRegistry.get(registry)?.add(this);
    this.latency = histogram(registry).labels(pipeline, stage);
  }

  onInput(event: AnyEvent): void {
    if (this.eventsIn++ % LATENCY_SAMPLE_EVERY !== 0) {
      return;
    }

    if (this.entered.size >= MAX_TRACKED) {
      this.entered.clear();
    }

    this.entered.set(event.correlationId, performance.now());
  }

  onOutput(event: AnyEvent): void {
    this.emitted.set(event.type, (this.emitted.get(event.type) ?? 0) + 1);

    const start = this.entered.get(event.correlationId);

    if (start !== undefined) {
      this.entered.delete(event.correlationId);
      this.latency.observe((performance.now() - start) / 1000);
    }
  }
}

function registerCollectors(registry: Registry): void {
  if (stagesByRegistry.has(registry)) {
    return;
  }

  const stages = new Set<StageMetrics>();
  stagesByRegistry.set(registry, stages);

  new Counter({
    name: 'tickflow_stage_events_in_total',
    help: 'Events a pipeline stage took',
    labelNames: ['pipeline', 'stage'],
    registers: [registry],
    collect() {
      this.reset();
      stages.forEach((metrics) => this.inc({ pipeline: metrics.pipeline, stage: metrics.stage }, metrics.eventsIn));
    },
  });

  new Counter({
    name: 'tickflow_stage_events_out_total',
    help: 'Events a pipeline stage emitted, by type',
    labelNames: ['pipeline', 'stage', 'type'],
    registers: [registry],
    collect() {
      this.reset();
      stages.forEach((metrics) => metrics.emitted.forEach((count, type) => this.inc({ pipeline: metrics.pipeline, stage: metrics.stage, type }, count)));
    },
  });
}

function histogram(registry: Registry): Histogram<'pipeline' | 'stage'> {
  const name = 'tickflow_stage_latency_seconds';

  return (
    (registry.getSingleMetric(name) as Histogram<'pipeline' | 'stage'> | undefined) ??
    new Histogram({ name, help: 'Time from a stage taking an event to emitting one of the same chain, sampled 1 in 16', labelNames: ['pipeline', 'stage'], buckets: LATENCY_BUCKETS, registers: [registry] })
  );
}
