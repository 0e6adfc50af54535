import type { SourceSettings } from '../sources/index.js';

/** An instrument a pipeline trades or watches. */
export interface InstrumentSpec {
  readonly id: string;
  readonly allowNegativePrices: boolean;
}

/** One stage of a pipeline, with its settings already decoded by its kind's codec. */
export interface StageSpec {
  readonly kind: string;
  /** The `name:` from YAML, or the kind (numbered when a kind repeats). */
  readonly name: string;
  readonly index: number;
  readonly settings: unknown;
  /** Line of the stage's `use:` in the file, for messages that point back at it. */
  readonly line: number;
}

/** Destinations of a pipeline's events besides its own stages. */
export interface PipelineOutputs {
  /** Publish every event to the bus (default true). */
  readonly bus: boolean;
  /** Keep every event in the event log (default true); the engine attaches the log. */
  readonly log: boolean;
}

/** A validated pipeline file. */
export interface PipelineSpec {
  readonly id: string;
  /** The file it was read from, as given. */
  readonly file: string;
  /** Folder that relative source paths are resolved against. */
  readonly baseDir: string;
  readonly description?: string;
  readonly instruments: readonly InstrumentSpec[];
  readonly source: SourceSettings;
  readonly stages: readonly StageSpec[];
  readonly outputs: PipelineOutputs;
}

/** Returns the settings of every stage of a kind, typed by the caller (the `lstm` stages' model ids, for example). */
export function stageSettingsOf<S>(spec: PipelineSpec, kind: string): { readonly stage: StageSpec; readonly settings: S }[] {
  return spec.stages.filter((stage) => stage.kind === kind).map((stage) => ({ stage, settings: stage.settings as S }));
}
