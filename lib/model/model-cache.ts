import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { TickflowError } from '../errors.js';
import type { Logger } from '../observability/logger.js';
import { ServiceKey } from '../services.js';
import { windowLengthOf } from './inference-input.js';
import { LoadedModel } from './loaded-model.js';
import { loadModelFiles, MODEL_FILES, type ModelFiles } from './model-files.js';
import { isUsableVolatility, modelOutputInvalid } from './model-output.js';

/** Summary of one loaded model. */
export interface ModelSummary {
  readonly modelId: string;
  readonly modelHash: string;
  readonly window: number;
  readonly horizon: number;
  readonly features: readonly string[];
}

export interface ModelCacheOptions {
  /** Folder with one subfolder per model: `models/<modelId>/`. */
  readonly modelsDir: string;
  readonly logger: Logger;
  /** Reads a model folder; the file reader unless replaced (tests count calls through it). */
  readonly load?: (folder: string, modelId: string) => Promise<ModelFiles>;
}

/** Model ids become folder names, so they hold no separators and cannot start with a dot. */
export const MODEL_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * Keeps one version of each model in memory. Concurrent first requests for a model share one
 * load, `preload` loads and warms up every model before the cache reports ready, and `reload`
 * swaps in a new version while predictions on the old one finish.
 */
export class ModelCache {
  private readonly models = new Map<string, LoadedModel>();
  private readonly loading = new Map<string, Promise<LoadedModel>>();
  private readonly load: (folder: string, modelId: string) => Promise<ModelFiles>;
  /** Labels of the stages that name each preloaded model, such as `stage "lstm" of pipeline "spx"`, for messages. */
  private usedBy: ReadonlyMap<string, readonly string[]> = new Map();
  private isReady = false;

  constructor(private readonly options: ModelCacheOptions) {
    this.load = options.load ?? loadModelFiles;
  }

  /** True once `preload` has loaded and warmed up every model it was given. */
  get ready(): boolean {
    return this.isReady;
  }

  /**
   * Loads every model, runs one warm-up prediction each, then reports ready. `usedBy` names
   * the places that ask for each model, so an error can name the setting to fix.
   */
  async preload(modelIds: readonly string[], usedBy: ReadonlyMap<string, readonly string[]> = new Map()): Promise<void> {
    const unique = [...new Set(modelIds)];

    this.usedBy = usedBy;

    await Promise.all(unique.map((modelId) => this.get(modelId)));

    this.isReady = true;
    this.options.logger.info({ models: this.list() }, `model cache ready with ${unique.length} model(s)`);
  }

  /** Returns the current version of a model, loading it on first use. */
  async get(modelId: string): Promise<LoadedModel> {
    const loaded = this.models.get(modelId);

    if (loaded !== undefined) {
      return loaded;
    }

    const inFlight = this.loading.get(modelId);

    if (inFlight !== undefined) {
      return inFlight;
    }

    const promise = this.loadVersion(modelId).then((model) => this.keepFirst(modelId, model));

    this.loading.set(modelId, promise);
    promise.then(
      () => this.loading.delete(modelId),
      () => this.loading.delete(modelId),
    );

    return promise;
  }

  /** The current version of a loaded model, without loading; undefined when not loaded. */
  current(modelId: string): LoadedModel | undefined {
    return this.models.get(modelId);
  }

  /** True when the models folder has a folder for this id. */
  exists(modelId: string): boolean {
    return MODEL_ID.test(modelId) && existsSync(join(this.options.modelsDir, modelId));
  }

  /**
   * Loads the model's files again and swaps the new version in; predictions already running
   * finish on the old version. Without an id, every loaded model is reloaded. A version that
   * fails to load leaves the old one serving and rejects with the load error.
   */
  async reload(modelId?: string): Promise<ModelSummary[]> {
    const ids = modelId === undefined ? [...this.models.keys()] : [modelId];
    const swapped: ModelSummary[] = [];

    for (const id of ids) {
      const next = await this.loadVersion(id);
      const previous = this.models.get(id);

      this.models.set(id, next);
      previous?.retire();
      this.options.logger.info({ modelId: id, oldHash: previous?.hash ?? null, newHash: next.hash }, `model ${id} swapped to a new version`);
      swapped.push(summarize(next));
    }

    return swapped;
  }

  /** Stores the first loaded version, unless a reload set a newer one meanwhile: the loaded one is then freed. */
  private keepFirst(modelId: string, model: LoadedModel): LoadedModel {
    const newer = this.models.get(modelId);

    if (newer !== undefined) {
      model.retire();
      return newer;
    }

    this.models.set(modelId, model);
    return model;
  }

  /** Lists every loaded model. */
  list(): ModelSummary[] {
    return [...this.models.values()].map(summarize);
  }

  /** Frees every model; for shutdown and tests. */
  dispose(): void {
    for (const model of this.models.values()) {
      model.retire();
    }

    this.models.clear();
    this.isReady = false;
  }

  private async loadVersion(modelId: string): Promise<LoadedModel> {
    if (!MODEL_ID.test(modelId)) {
      throw new TickflowError('model-id-invalid', `invalid model id "${modelId}": use letters, digits, ".", "_" and "-", starting with a letter or digit`, { modelId });
    }

    const started = Date.now();
    const folder = join(this.options.modelsDir, modelId);

    this.checkFolder(folder, modelId);

    const files = await this.load(folder, modelId);
    const model = new LoadedModel(modelId, files.network, files.meta, files.hash);

    try {
      await warmUp(model, join(folder, MODEL_FILES.weights));
    } catch (error) {
      model.retire();
      throw error;
    }

    this.options.logger.info({ modelId, modelHash: model.hash, ms: Date.now() - started }, `model ${modelId} loaded and warmed up`);

    return model;
  }

  /** Rejects a missing model folder, a model never trained or a misspelt `model:` setting, with both fixes in the message. */
  private checkFolder(folder: string, modelId: string): void {
    if (existsSync(folder)) {
      return;
    }

    const users = this.usedBy.get(modelId) ?? [];
    const setting = users.length === 0 ? 'the `model:` setting of the lstm stage that names it' : `the \`model:\` setting of ${users.join(' and of ')}`;
    const metaFile = join(folder, MODEL_FILES.meta);

    throw new TickflowError('model-not-found', `no model "${modelId}" in ${this.options.modelsDir} (${metaFile} is missing): train it with \`tickflow train --instrument ${modelId}\`, or fix ${setting}`, {
      modelId,
      file: metaFile,
      ...(users.length === 0 ? {} : { usedBy: users }),
    });
  }
}

/** The model cache in the services container. */
export const MODEL_CACHE = new ServiceKey<ModelCache>('model cache');

/**
 * Runs one prediction on a flat synthetic window, so the first real request does not pay for
 * kernel setup, and rejects a model whose output cannot be a forecast (NaN weights, overflow).
 */
async function warmUp(model: LoadedModel, weightsFile: string): Promise<void> {
  const days = Array.from({ length: windowLengthOf(model.meta) }, (_, i) => ({ time: i * 86_400_000, close: 100 * (1 + 0.01 * Math.sin(i)) }));
  const [volatility] = await model.predictVolatilities([days]);

  if (!isUsableVolatility(volatility)) {
    throw modelOutputInvalid(model.modelId, volatility, `on the warm-up window (weights ${weightsFile})`, { file: weightsFile, modelHash: model.hash });
  }
}

function summarize(model: LoadedModel): ModelSummary {
  return { modelId: model.modelId, modelHash: model.hash, window: model.meta.window, horizon: model.meta.horizon, features: model.meta.features };
}
