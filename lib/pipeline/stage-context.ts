import type { EventBus } from '../bus/index.js';
import type { Logger } from '../observability/logger.js';
import type { Registry } from '../observability/metrics.js';
import type { Services } from '../services.js';
import type { Clock } from '../time/clock.js';

/**
 * Everything a stage may use, handed in when the pipeline is compiled. Stages hold no hidden
 * globals, so a test can swap any of these.
 */
export interface StageContext {
  readonly pipelineId: string;
  /** Position of the stage in the pipeline, from 0. */
  readonly stageIndex: number;
  /** The stage's `name` from YAML, or its kind when unnamed. */
  readonly stageName: string;
  readonly instruments: readonly string[];
  readonly bus: EventBus;
  /** A child logger bound to the pipeline and stage. */
  readonly logger: Logger;
  readonly metrics: Registry;
  readonly clock: Clock;
  /** Shared services: model cache, event log, venue. */
  readonly services: Services;
}
