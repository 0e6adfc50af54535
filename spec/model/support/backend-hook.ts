import { selectBackend } from '../../../lib/model/backend.js';
import { silentLogger } from '../../../lib/observability/logger.js';

/** Starts the WebAssembly backend once for the model specs, as the engine would. */
export async function useTestBackend(): Promise<void> {
  await selectBackend(silentLogger(), { candidates: ['wasm', 'cpu'] });
}
