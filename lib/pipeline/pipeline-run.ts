import type { EventType } from '../events/index.js';

export type PipelineState = 'idle' | 'running' | 'stopping' | 'completed' | 'stopped' | 'failed';

/** Event counts of a pipeline run, reported when it ends. */
export interface PipelineCounts {
  /** Market events (bars, trades) the source delivered. */
  readonly in: number;
  /** Events emitted by the last stage (by the source when there are no stages), dead letters excluded. */
  readonly out: number;
  /** `deadletter` events from the source and every stage. */
  readonly deadLettered: number;
  /** Every event the run produced, by type. */
  readonly byType: Readonly<Partial<Record<EventType, number>>>;
  /** `completed` when the source ended, `stopped` after `stop()`, `failed` after an error. */
  readonly state: PipelineState;
  /** The error message of a failed run. */
  readonly error?: string;
}

/** A running pipeline. */
export interface PipelineRun {
  readonly id: string;
  readonly state: PipelineState;
  /** Subscribes to the source and starts the stages. An error while building a stage fails this run only; `done()` then reports it. */
  start(): void;
  /** Stops the source and resolves once the events in flight have gone through every stage. */
  stop(): Promise<PipelineCounts>;
  /** Resolves when the run ends for any reason; never rejects. */
  done(): Promise<PipelineCounts>;
  /** The counts so far. */
  counts(): PipelineCounts;
}
