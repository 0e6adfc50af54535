/** What the model cache reports about one loaded model. */
export interface ModelSummary {
  readonly modelId: string;
  readonly modelHash: string;
  readonly window: number;
  readonly horizon: number;
  readonly features?: unknown;
}

/** Swaps in the model files on disk without stopping the engine. */
export interface ModelReloadPort {
  /** Reloads one model, or every model when no id is given. */
  reload(modelId?: string): Promise<unknown>;
  list(): readonly ModelSummary[];
}
