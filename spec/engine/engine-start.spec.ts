import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfigOrThrow } from '../../lib/config/index.js';
import { Engine } from '../../lib/engine/engine.js';
import { hasErrorCode } from '../../lib/errors.js';
import { silentLogger } from '../../lib/observability/logger.js';
import { packageRoot } from '../../lib/paths.js';
import { SqliteEventLog } from '../../lib/store/index.js';

function listenOnFreePort(): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

describe('Engine.start', function () {
  this.timeout(60_000);

  let folder: string;
  let blocker: Server;

  beforeEach(async () => {
    folder = mkdtempSync(join(tmpdir(), 'tickflow-engine-'));
    blocker = await listenOnFreePort();
  });

  afterEach(async () => {
    await new Promise((resolve) => blocker.close(resolve));
    rmSync(folder, { recursive: true, force: true });
  });

  it('names a port in use and releases the event log', async () => {
    const address = blocker.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    const logFile = join(folder, 'events.sqlite');
    const { config } = loadConfigOrThrow({ env: { PORT: String(port), TICKFLOW_EVENT_LOG: logFile, TICKFLOW_LOG_LEVEL: 'silent' } });

    let thrown: unknown;
    try {
      await Engine.start({ config, pipelineFiles: [join(packageRoot(), 'pipelines', 'default.yaml')], logger: silentLogger() });
    } catch (error) {
      thrown = error;
    }

    expect(hasErrorCode(thrown, 'port-in-use')).to.equal(true);
    expect((thrown as Error).message).to.contain(`port ${port} on 127.0.0.1 is already in use`);
    expect((thrown as Error).message).to.contain('--port N');

    const reopened = await SqliteEventLog.open({ file: logFile }, silentLogger());
    await reopened.close();
  });

  it('rejects an invalid pipeline before opening anything', async () => {
    const { config } = loadConfigOrThrow({ env: { TICKFLOW_EVENT_LOG: join(folder, 'events.sqlite'), TICKFLOW_LOG_LEVEL: 'silent' } });

    let thrown: unknown;
    try {
      await Engine.start({ config, pipelineFiles: [join(folder, 'missing.yaml')], logger: silentLogger() });
    } catch (error) {
      thrown = error;
    }

    expect(hasErrorCode(thrown, 'invalid-pipeline')).to.equal(true);
    expect((thrown as Error).message).to.contain('missing.yaml');
  });
});
