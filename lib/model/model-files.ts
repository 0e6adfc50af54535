import * as tf from '@tensorflow/tfjs';
import { isLeft } from 'fp-ts/lib/Either.js';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TickflowError } from '../errors.js';
import { sha256 } from '../events/index.js';
import { formatValidationErrors, issuesToText } from '../events/index.js';
import { ModelMeta } from './model-meta.js';

/** File names inside a model folder. */
export const MODEL_FILES = { topology: 'model.json', weights: 'weights.bin', meta: 'meta.json' } as const;

/** A model read from its folder. */
export interface ModelFiles {
  readonly network: tf.LayersModel;
  readonly meta: ModelMeta;
  /** SHA-256 of weights.bin. */
  readonly hash: string;
}

const BYTES_PER_ELEMENT: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2 };

/**
 * Writes model.json, weights.bin and meta.json through a TensorFlow.js save handler (no
 * tfjs-node). Each file is written beside its final name and renamed, and meta.json, which
 * carries the hash of the weights, comes last, so a reader never sees a half-written model.
 */
export async function saveModelFiles(folder: string, network: tf.LayersModel, meta: Omit<ModelMeta, 'modelHash'>): Promise<ModelMeta> {
  const artifacts = await captureArtifacts(network);
  const weights = new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData));
  const modelHash = sha256(weights);
  const topology = {
    format: 'layers-model',
    generatedBy: `TensorFlow.js tfjs-layers v${tf.version.tfjs}`,
    convertedBy: null,
    modelTopology: artifacts.modelTopology,
    weightsManifest: [{ paths: [MODEL_FILES.weights], weights: artifacts.weightSpecs }],
  };
  const fullMeta: ModelMeta = { ...meta, modelHash };

  await mkdir(folder, { recursive: true });
  await writeAtomically(join(folder, MODEL_FILES.weights), weights);
  await writeAtomically(join(folder, MODEL_FILES.topology), `${JSON.stringify(topology)}\n`);
  await writeAtomically(join(folder, MODEL_FILES.meta), `${JSON.stringify(fullMeta, null, 2)}\n`);

  return fullMeta;
}

/** Reads a model folder, checking each file; every failure names the file and what is wrong. */
export async function loadModelFiles(folder: string, modelId: string): Promise<ModelFiles> {
  const topologyFile = join(folder, MODEL_FILES.topology);
  const weightsFile = join(folder, MODEL_FILES.weights);
  const metaFile = join(folder, MODEL_FILES.meta);

  const meta = decodeMeta(parseJson(await readModelFile(metaFile, modelId), metaFile, modelId), metaFile, modelId);
  const topology = readTopology(parseJson(await readModelFile(topologyFile, modelId), topologyFile, modelId), topologyFile, modelId);
  const weights = await readModelFile(weightsFile, modelId);

  checkWeightSize(weights, topology.weightSpecs, weightsFile, modelId);

  const hash = sha256(weights);

  if (hash !== meta.modelHash) {
    throw new TickflowError('model-hash-mismatch', `${weightsFile} has SHA-256 ${hash} but ${metaFile} records ${meta.modelHash}: the folder mixes two model versions, train or copy the model again`, { modelId, file: weightsFile });
  }

  const weightData = weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength);
  const network = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: topology.modelTopology, weightSpecs: topology.weightSpecs, weightData }));

  return { network, meta, hash };
}

async function captureArtifacts(network: tf.LayersModel): Promise<tf.io.ModelArtifacts> {
  let captured: tf.io.ModelArtifacts | undefined;

  await network.save(
    tf.io.withSaveHandler(async (artifacts) => {
      captured = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );

  if (captured?.weightData === undefined || captured.weightSpecs === undefined) {
    throw new Error('TensorFlow.js returned no weights when saving the model');
  }

  return captured;
}

async function writeAtomically(file: string, content: string | Uint8Array): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, content);
  await rename(temporary, file);
}

async function readModelFile(file: string, modelId: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const what = code === 'ENOENT' ? 'is missing' : `cannot be read (${code ?? String(error)})`;

    throw new TickflowError('model-file-missing', `${file} ${what}: train the model with \`tickflow train --instrument ${modelId}\` or point the models folder elsewhere`, { modelId, file });
  }
}

function parseJson(content: Buffer, file: string, modelId: string): unknown {
  try {
    return JSON.parse(content.toString('utf8'));
  } catch (error) {
    throw new TickflowError('model-file-invalid', `${file} is not valid JSON: ${(error as Error).message}`, { modelId, file });
  }
}

function decodeMeta(value: unknown, file: string, modelId: string): ModelMeta {
  const decoded = ModelMeta.decode(value);

  if (isLeft(decoded)) {
    const issues = formatValidationErrors(decoded.left);
    throw new TickflowError('model-file-invalid', `${file} is not a valid model description: ${issuesToText(issues)}`, { modelId, file, issues });
  }

  return decoded.right;
}

function readTopology(value: unknown, file: string, modelId: string): { modelTopology: object; weightSpecs: tf.io.WeightsManifestEntry[] } {
  const record = (typeof value === 'object' && value !== null ? value : {}) as { modelTopology?: unknown; weightsManifest?: unknown };
  const manifest = Array.isArray(record.weightsManifest) ? (record.weightsManifest as { weights?: unknown }[]) : undefined;

  if (typeof record.modelTopology !== 'object' || record.modelTopology === null) {
    throw new TickflowError('model-file-invalid', `${file} has no modelTopology object: it is not a TensorFlow.js layers model`, { modelId, file, field: 'modelTopology' });
  }

  if (manifest === undefined || !manifest.every((group) => Array.isArray(group.weights))) {
    throw new TickflowError('model-file-invalid', `${file} has no weightsManifest list of weight groups`, { modelId, file, field: 'weightsManifest' });
  }

  const weightSpecs = manifest.flatMap((group) => group.weights as tf.io.WeightsManifestEntry[]);
  return { modelTopology: record.modelTopology, weightSpecs };
}

function checkWeightSize(weights: Buffer, specs: readonly tf.io.WeightsManifestEntry[], file: string, modelId: string): void {
  const expected = specs.reduce((sum, spec) => sum + bytesOf(spec), 0);

  if (weights.byteLength !== expected) {
    throw new TickflowError(
      'model-weights-size-mismatch',
      `${file} holds ${weights.byteLength} bytes but model.json's weightsManifest lists ${expected} bytes: the weights belong to another model or were cut short`,
      { modelId, file, expectedBytes: expected, actualBytes: weights.byteLength },
    );
  }
}

function bytesOf(spec: tf.io.WeightsManifestEntry): number {
  const elements = spec.shape.reduce((product, size) => product * size, 1);
  const dtype = spec.quantization?.dtype ?? spec.dtype;

  return elements * (BYTES_PER_ELEMENT[dtype] ?? 4);
}
