import type * as t from 'io-ts';
import type { OperatorFunction } from 'rxjs';
import type { AnyEvent, EventType } from '../events/index.js';
import type { StageContext } from './stage-context.js';

/**
 * A kind of pipeline stage (`use: lstm` in YAML). The settings codec is decoded once, when the
 * pipeline is compiled; `create` then returns a plain operator. A stage receives the events
 * emitted by the stage before it (or by the source, for the first stage) and returns the events
 * it emits; the pipeline publishes every stage's output to the bus.
 */
export interface StageKind<S = unknown> {
  readonly kind: string;
  /** One line for `docs/PIPELINES.md` and error messages. */
  readonly description: string;
  readonly settings: t.Type<S, unknown, unknown>;
  /** Event types the stage consumes; at least one must be emitted by the stage before it. */
  readonly takes: readonly EventType[];
  /** Event types the stage may emit. */
  readonly emits: readonly EventType[];
  create(settings: S, context: StageContext): OperatorFunction<AnyEvent, AnyEvent>;
}

/** Helper that keeps the settings type of a stage kind when it is declared. */
export function defineStageKind<S>(kind: StageKind<S>): StageKind<S> {
  return kind;
}
