import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfigOrThrow } from '../../../lib/config/index.js';
import { Engine } from '../../../lib/engine/engine.js';
import { silentLogger } from '../../../lib/observability/logger.js';
import { packageRoot } from '../../../lib/paths.js';

export interface EngineSessionOptions {
  /** Pipeline files to run, or the text of one pipeline file written to the session's folder. */
  readonly pipeline: { readonly files: readonly string[] } | { readonly yaml: string };
  /** `max` or a factor of real time. */
  readonly replaySpeed: string;
}

/** A real engine on a loopback port, with its event log in a temp folder that `close` removes. */
export interface EngineSession {
  readonly engine: Engine;
  readonly folder: string;
  close(): Promise<void>;
}

/**
 * Starts the engine in-process the way `tickflow run` does, from the default config file and
 * environment variables, on a free port with a fresh event log. A child process would write
 * V8 coverage that merges badly with the test's own.
 */
export async function startEngineSession(options: EngineSessionOptions): Promise<EngineSession> {
  const folder = mkdtempSync(join(tmpdir(), 'tickflow-dashboard-engine-'));

  try {
    const pipelineFiles = 'files' in options.pipeline ? [...options.pipeline.files] : [writePipeline(folder, options.pipeline.yaml)];
    const { config } = loadConfigOrThrow({
      env: {
        PORT: String(await freePort()),
        TICKFLOW_EVENT_LOG: join(folder, 'events.sqlite'),
        TICKFLOW_MODELS_DIR: join(packageRoot(), 'models'),
        TICKFLOW_REPLAY_SPEED: options.replaySpeed,
        TICKFLOW_LOG_LEVEL: 'silent',
      },
    });
    const engine = await Engine.start({ config, pipelineFiles, logger: silentLogger() });

    return {
      engine,
      folder,
      close: async () => {
        await engine.stop();
        rmSync(folder, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(folder, { recursive: true, force: true });
    throw error;
  }
}

/** Returns the path of the Dow Jones 30 daily closes file in the shared data folder. */
export function dowJonesFile(): string {
  return join(packageRoot(), '..', 'shared', 'data', 'dowjones30_daily_close_1990-2001.R-fBasics.csv');
}

function writePipeline(folder: string, yaml: string): string {
  const file = join(folder, 'pipeline.yaml');
  writeFileSync(file, yaml);

  return file;
}

/**
 * Binds port 0 on loopback and releases it, so the engine can take the port a moment later.
 * NOTE: another process may take the port in between, and the engine then fails to start.
 */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));

  return port;
}
