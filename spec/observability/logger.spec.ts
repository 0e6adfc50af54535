import { expect } from 'chai';
import { createLogger, silentLogger } from '../../lib/observability/logger.js';
import { createMetricsRegistry } from '../../lib/observability/metrics.js';

describe('createLogger', () => {
  it('binds the name and level', () => {
    const logger = createLogger({ level: 'warn', name: 'spec' });

    expect(logger.level).to.equal('warn');
    expect(logger.bindings()).to.include({ name: 'spec' });
  });

  it('has a silent variant', () => {
    expect(silentLogger().level).to.equal('silent');
  });
});

describe('createMetricsRegistry', () => {
  it('keeps metrics out of the global registry', async () => {
    const registry = createMetricsRegistry({ defaultMetrics: true });

    expect(await registry.metrics()).to.contain('tickflow_process_cpu_user_seconds_total');
    expect((await createMetricsRegistry().metrics()).trim()).to.equal('');
  });
});
