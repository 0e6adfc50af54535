import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sha256 } from '../../../lib/events/index.js';
import { MODEL_FILES } from '../../../lib/model/model-files.js';
import { packageRoot } from '../../../lib/paths.js';

/** Copies a shipped model folder (models/SPX unless named) into a models folder of a test. */
export async function copyShippedModel(modelsDir: string, modelId = 'SPX'): Promise<string> {
  const folder = join(modelsDir, modelId);

  await cp(join(packageRoot(), 'models', modelId), folder, { recursive: true });
  return folder;
}

/**
 * Fills weights.bin with NaN and records its new SHA-256 in meta.json, so the folder passes
 * every file check and only the network's output shows the damage.
 */
export async function fillWeightsWithNaN(folder: string): Promise<string> {
  const weightsFile = join(folder, MODEL_FILES.weights);
  const metaFile = join(folder, MODEL_FILES.meta);
  const size = (await readFile(weightsFile)).byteLength;
  const weights = new Uint8Array(new Float32Array(size / 4).fill(Number.NaN).buffer);
  const meta = JSON.parse(await readFile(metaFile, 'utf8')) as Record<string, unknown>;

  await writeFile(weightsFile, weights);
  await writeFile(metaFile, `${JSON.stringify({ ...meta, modelHash: sha256(weights) }, null, 2)}\n`);

  return sha256(weights);
}
