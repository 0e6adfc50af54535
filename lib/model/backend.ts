import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Logger } from '../observability/logger.js';

/** TensorFlow.js backends tickflow can run on, best first. */
export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

/** The backend that runs, and why the better ones do not. */
export interface BackendChoice {
  readonly name: BackendName;
  readonly reason: string;
}

export interface SelectBackendOptions {
  /** Backends to try, in order; all three unless set. */
  readonly candidates?: readonly BackendName[];
  /** Loads the native binding; replaced in tests. */
  readonly loadNative?: () => Promise<unknown>;
}

const NATIVE_PACKAGE = '@tensorflow/tfjs-node';

// setWasmPaths throws once the WebAssembly backend has started, so it is set once per process.
let wasmPathsSet = false;

/**
 * Picks the fastest backend that loads: the native TensorFlow binding when the optional
 * `@tensorflow/tfjs-node` package is installed, else WebAssembly, else plain JavaScript. The
 * choice is global to the process, as TensorFlow.js's backend is.
 */
export async function selectBackend(logger: Logger, options: SelectBackendOptions = {}): Promise<BackendChoice> {
  // The CPU backend prints a banner on first use unless PROD is set, and library code writes nothing to the console.
  tf.env().set('PROD', true);

  const candidates = options.candidates ?? ['tensorflow', 'wasm', 'cpu'];
  const skipped: string[] = [];

  for (const name of candidates) {
    const failure = await tryBackend(name, options);

    if (failure === undefined) {
      const reason = skipped.length === 0 ? `${name} is the first choice` : skipped.join('; ');
      logger.info({ backend: name, reason, tfjsVersion: tf.version.tfjs }, `TensorFlow.js runs on the ${name} backend`);

      return { name, reason };
    }

    skipped.push(`${name} unavailable: ${failure}`);
  }

  throw new Error(`no TensorFlow.js backend could start: ${skipped.join('; ')}`);
}

/** Returns the name of the backend TensorFlow.js runs on now. */
export function activeBackend(): string {
  return tf.getBackend();
}

async function tryBackend(name: BackendName, options: SelectBackendOptions): Promise<string | undefined> {
  try {
    if (name === 'tensorflow') {
      await (options.loadNative ?? loadNativeBinding)();
    }

    if (name === 'wasm' && !wasmPathsSet) {
      setWasmPaths(wasmFolder());
      wasmPathsSet = true;
    }

    const started = await tf.setBackend(name);
    await tf.ready();

    return started ? undefined : 'the backend did not initialize';
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

async function loadNativeBinding(): Promise<unknown> {
  // A variable specifier keeps the compiler from requiring the optional package's types.
  const specifier: string = NATIVE_PACKAGE;

  return import(specifier);
}

/**
 * Returns the folder holding the `.wasm` binaries that ship inside the
 * `@tensorflow/tfjs-backend-wasm` package, with a trailing slash as setWasmPaths expects.
 */
export function wasmFolder(): string {
  const require = createRequire(import.meta.url);
  const folder = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');

  if (!existsSync(join(folder, 'tfjs-backend-wasm.wasm'))) {
    throw new Error(`tfjs-backend-wasm.wasm not found in ${folder}`);
  }

  return `${folder}/`;
}
