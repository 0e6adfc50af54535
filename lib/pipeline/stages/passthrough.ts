import * as t from 'io-ts';
import { defineStageKind } from '../stage-kind.js';

/** Settings of the `passthrough` stage: none. */
export const PassthroughSettings = t.strict({}, 'PassthroughSettings');

/**
 * A stage that emits every bar and trade it takes, unchanged. It measures what the pipeline
 * itself costs per event and gives tests a stage with no logic of its own.
 */
export const passthroughStage = defineStageKind({
  kind: 'passthrough',
  description: 'emits every bar and trade unchanged (for tests and benchmarks)',
  settings: PassthroughSettings,
  takes: ['bar', 'trade'],
  emits: ['bar', 'trade'],
  create: () => (events) => events,
});
