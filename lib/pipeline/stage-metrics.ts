import { performance } from 'node:perf_hooks';
import { Counter, Histogram, Registry } from 'prom-client';
import type { AnyEvent } from '../events/index.js';

/** Chains whose entry time is kept for latency; older entries are dropped, so a stage that filters events cannot grow the map. */
const MAX_TRACKED = 4096;

const LATENCY_BUCKETS = [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5];

/**
 * Counts and latencies of one stage. Label children are bound once, so an event costs a map
 * write on the way in and two increments plus one histogram observation on the way out.
 * Latency is measured from the stage taking an event to it emitting an event of the same chain
 * (same correlation id).
 */
export class StageMetrics {
  private readonly taken: { inc(): void };
  private readonly emitted = new Map<string, { inc(): void }>();
  private readonly latency: { observe(value: number): void };
  private readonly entered = new Map<string, number>();

  constructor(
    private readonly registry: Registry,
    private readonly pipeline: string,
    private readonly stage: string,
  ) {
    this.taken = counter(registry, 'tickflow_stage_events_in_total', 'Events a pipeline stage took', ['pipeline', 'stage']).labels(pipeline, stage);
    this.latency = histogram(registry).labels(pipeline, stage);
  }

  onInput(event: AnyEvent): void {
    this.taken.inc();

    if (this.entered.size >= MAX_TRACKED) {
      this.entered.delete(this.entered.keys().next().value as string);
    }

    this.entered.set(event.correlationId, performance.now());
  }

  onOutput(event: AnyEvent): void {
    let child = this.emitted.get(event.type);

    if (child === undefined) {
      child = counter(this.registry, 'tickflow_stage_events_out_total', 'Events a pipeline stage emitted, by type', ['pipeline', 'stage', 'type']).labels(this.pipeline, this.stage, event.type);
      this.emitted.set(event.type, child);
    }

    child.inc();
    const start = this.entered.get(event.correlationId);

    if (start !== undefined) {
      this.latency.observe((performance.now() - start) / 1000);
    }
  }
}

function counter<L extends string>(registry: Registry, name: string, help: string, labelNames: L[]): Counter<L> {
  return (registry.getSingleMetric(name) as Counter<L> | undefined) ?? new Counter({ name, help, labelNames, registers: [registry] });
}

function histogram(registry: Registry): Histogram<'pipeline' | 'stage'> {
  const name = 'tickflow_stage_latency_seconds';

  return (
    (registry.getSingleMetric(name) as Histogram<'pipeline' | 'stage'> | undefined) ??
    new Histogram({ name, help: 'Time from a stage taking an event to emitting an event of the same chain', labelNames: ['pipeline', 'stage'], buckets: LATENCY_BUCKETS, registers: [registry] })
  );
}
