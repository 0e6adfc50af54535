import { filter, Observable, SchedulerLike, Subject, Subscription, takeUntil, tap } from 'rxjs';
import type { EventBus } from '../bus/index.js';
import { toError } from '../errors.js';
import type { AnyEvent, EventOf, EventType } from '../events/index.js';
import type { Logger } from '../observability/logger.js';
import type { Registry } from '../observability/metrics.js';
import type { Services } from '../services.js';
import { createSource } from '../sources/index.js';
import type { Clock } from '../time/clock.js';
import type { PipelineCounts, PipelineRun, PipelineState } from './pipeline-run.js';
import type { PipelineSpec, StageSpec } from './pipeline-spec.js';
import type { StageContext } from './stage-context.js';
import { StageMetrics } from './stage-metrics.js';
import type { StageRegistry } from './stage-registry.js';

export interface PipelineDeps {
  readonly bus: EventBus;
  readonly logger: Logger;
  readonly metrics: Registry;
  readonly clock: Clock;
  readonly services: Services;
  readonly registry: StageRegistry;
  /** Replaces the source of the pipeline file, as replay does. It is cut off when the run stops. */
  readonly source?: Observable<AnyEvent>;
  /** Paces replay and reconnect delays of the file's source; tests pass a virtual-time scheduler. */
  readonly scheduler?: SchedulerLike;
  /** How long `stop()` waits for events in flight before cutting the stages off (default 10 s). */
  readonly drainTimeoutMs?: number;
}

const DEFAULT_DRAIN_TIMEOUT_MS = 10_000;

/** Builds a pipeline run from a validated spec. Nothing runs until `start()`. */
export function createPipeline(spec: PipelineSpec, deps: PipelineDeps): PipelineRun {
  return new PipelineRunner(spec, deps);
}

class PipelineRunner implements PipelineRun {
  readonly id: string;
  private current: PipelineState = 'idle';
  private readonly stopSignal = new Subject<void>();
  private readonly logger: Logger;
  private readonly byType: Partial<Record<EventType, number>> = {};
  /** Events this run already counted and published; a stage that passes one on must not repeat it. */
  private readonly recorded = new WeakSet<AnyEvent>();
  private subscription = Subscription.EMPTY;
  private inCount = 0;
  private outCount = 0;
  private deadLettered = 0;
  private failure: string | undefined;
  private resolveDone!: (counts: PipelineCounts) => void;
  private readonly finished = new Promise<PipelineCounts>((resolve) => (this.resolveDone = resolve));

  constructor(
    private readonly spec: PipelineSpec,
    private readonly deps: PipelineDeps,
  ) {
    this.id = spec.id;
    this.logger = deps.logger.child({ pipeline: spec.id });
  }

  get state(): PipelineState {
    return this.current;
  }

  start(): void {
    if (this.current !== 'idle') {
      return;
    }

    this.current = 'running';
    let stream: Observable<AnyEvent>;

    try {
      stream = this.buildChain();
    } catch (error) {
      this.fail(error);
      return;
    }

    this.logger.info({ source: this.spec.source.type, stages: this.spec.stages.map((stage) => stage.name) }, 'pipeline started');
    this.subscription = stream.subscribe({
      next: (event) => this.countOut(event),
      error: (error: unknown) => this.fail(error),
      complete: () => this.end(this.current === 'stopping' ? 'stopped' : 'completed'),
    });
  }

  stop(): Promise<PipelineCounts> {
    if (this.current === 'idle') {
      this.end('stopped');
    } else if (this.current === 'running') {
      this.current = 'stopping';
      this.logger.info('pipeline stopping: draining events in flight');
      this.stopSignal.next();
      this.armDrainTimeout();
    }

    return this.finished;
  }

  done(): Promise<PipelineCounts> {
    return this.finished;
  }

  counts(): PipelineCounts {
    return {
      in: this.inCount,
      out: this.outCount,
      deadLettered: this.deadLettered,
      byType: { ...this.byType },
      state: this.current,
      ...(this.failure === undefined ? {} : { error: this.failure }),
    };
  }

  private buildChain(): Observable<AnyEvent> {
    const source = this.openSource().pipe(tap((event) => this.recordSourceEvent(event)));

    return this.spec.stages.reduce((input, stage) => this.attachStage(input, stage), source);
  }

  private openSource(): Observable<AnyEvent> {
    if (this.deps.source !== undefined) {
      return this.deps.source.pipe(takeUntil(this.stopSignal));
    }

    const context = { instruments: this.spec.instruments, baseDir: this.spec.baseDir, logger: this.logger, clock: this.deps.clock, scheduler: this.deps.scheduler };

    return createSource(this.spec.source, context).open(this.stopSignal);
  }

  private attachStage(input: Observable<AnyEvent>, stage: StageSpec): Observable<AnyEvent> {
    const kind = this.deps.registry.get(stage.kind);

    if (kind === undefined) {
      throw new Error(`stage kind "${stage.kind}" of stage "${stage.name}" is not registered`);
    }

    const takes = new Set<EventType>(kind.takes);
    const metrics = new StageMetrics(this.deps.metrics, this.spec.id, stage.name);
    const operator = kind.create(stage.settings, this.stageContext(stage));

    return input.pipe(
      filter((event) => takes.has(event.type)),
      tap((event) => metrics.onInput(event)),
      operator,
      tap((event) => {
        metrics.onOutput(event);
        this.record(event);
      }),
    );
  }

  private stageContext(stage: StageSpec): StageContext {
    return {
      pipelineId: this.spec.id,
      stageIndex: stage.index,
      stageName: stage.name,
      instruments: this.spec.instruments.map((instrument) => instrument.id),
      bus: this.deps.bus,
      logger: this.logger.child({ stage: stage.name }),
      metrics: this.deps.metrics,
      clock: this.deps.clock,
      services: this.deps.services,
    };
  }

  private recordSourceEvent(event: AnyEvent): void {
    if (event.type !== 'deadletter') {
      this.inCount++;
    }

    this.record(event);
  }

  /** Counts an event and publishes it to the bus, once per event object. */
  private record(event: AnyEvent): void {
    if (this.recorded.has(event)) {
      return;
    }

    this.recorded.add(event);
    this.byType[event.type] = (this.byType[event.type] ?? 0) + 1;

    if (event.type === 'deadletter') {
      this.deadLettered++;
    }

    if (this.spec.outputs.bus) {
      this.deps.bus.publish(event.type, event as EventOf<EventType>);
    }
  }

  private countOut(event: AnyEvent): void {
    if (event.type !== 'deadletter') {
      this.outCount++;
    }
  }

  private armDrainTimeout(): void {
    const limit = this.deps.drainTimeoutMs ?? DEFAULT_DRAIN_TIMEOUT_MS;
    const timer = setTimeout(() => {
      if (this.current === 'stopping') {
        this.logger.warn({ drainTimeoutMs: limit }, 'pipeline did not drain in time; cutting off the events still in flight');
        this.subscription.unsubscribe();
        this.end('stopped');
      }
    }, limit);

    timer.unref();
    void this.finished.then(() => clearTimeout(timer));
  }

  private fail(error: unknown): void {
    const reason = toError(error);

    this.failure = reason.message;
    this.logger.error({ err: reason }, 'pipeline failed and stopped; other pipelines keep running');
    this.subscription.unsubscribe();
    this.end('failed');
  }

  private end(state: PipelineState): void {
    if (this.current === 'completed' || this.current === 'stopped' || this.current === 'failed') {
      return;
    }

    this.current = state;
    const counts = this.counts();

    if (state !== 'failed') {
      this.logger.info({ in: counts.in, out: counts.out, deadLettered: counts.deadLettered, state }, 'pipeline ended');
    }

    this.resolveDone(counts);
  }
}
