import { join } from 'node:path';
import { saveModelFiles } from '../../../lib/model/model-files.js';
import type { ModelMeta } from '../../../lib/model/model-meta.js';
import { DEFAULT_TRAINING_OPTIONS, trainModel, type TrainingOptions } from '../../../lib/model/train-model.js';
import type { DailyObservation } from '../../../lib/model/daily-series.js';
import { garchDays } from './synthetic-days.js';

/** Settings small enough that a model trains in well under a second. */
export const TINY_OPTIONS: TrainingOptions = { ...DEFAULT_TRAINING_OPTIONS, window: 8, rollingWindow: 4, horizon: 2, units: 4, maxEpochs: 2, batchSize: 32 };

/** Trains a tiny model on synthetic days and writes it to `<modelsDir>/<modelId>/`. */
export async function writeTinyModel(modelsDir: string, modelId: string, options: Partial<TrainingOptions> = {}, days: readonly DailyObservation[] = garchDays(240)): Promise<ModelMeta> {
  const result = await trainModel(
    days,
    { modelId, instrument: modelId, input: { kind: 'daily', format: 'ohlcv' }, command: 'test', backend: 'test' },
    { ...TINY_OPTIONS, ...options },
  );

  try {
    return await saveModelFiles(join(modelsDir, modelId), result.network, result.meta);
  } finally {
    result.network.dispose();
  }
}
