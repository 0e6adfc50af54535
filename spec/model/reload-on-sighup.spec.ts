import { expect } from 'chai';
import sinon from 'sinon';
import { ModelCache } from '../../lib/model/model-cache.js';
import { installReloadOnSighup } from '../../lib/model/reload-on-sighup.js';
import { silentLogger } from '../../lib/observability/logger.js';

describe('installReloadOnSighup', () => {
  it('reloads on SIGHUP until removed', async () => {
    const cache = new ModelCache({ modelsDir: '/nonexistent', logger: silentLogger() });
    const reload = sinon.stub(cache, 'reload').resolves([]);
    const remove = installReloadOnSighup(cache, silentLogger());

    process.emit('SIGHUP', 'SIGHUP');
    remove();
    process.emit('SIGHUP', 'SIGHUP');

    expect(reload.callCount).to.equal(1);
  });

  it('logs a failed reload', async () => {
    const cache = new ModelCache({ modelsDir: '/nonexistent', logger: silentLogger() });
    const logger = silentLogger();
    const error = sinon.spy(logger, 'error');
    sinon.stub(cache, 'reload').rejects(new Error('bad weights'));
    const remove = installReloadOnSighup(cache, logger);

    process.emit('SIGHUP', 'SIGHUP');
    await new Promise((resolve) => setImmediate(resolve));
    remove();

    expect(error.callCount).to.equal(1);
  });
});
