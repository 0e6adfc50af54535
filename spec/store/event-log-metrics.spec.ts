import { join } from 'node:path';
import { expect } from 'chai';
import { silentLogger } from '../../lib/observability/logger.js';
import { createMetricsRegistry } from '../../lib/observability/metrics.js';
import { registerEventLogMetrics, SqliteEventLog } from '../../lib/store/index.js';
import { makeBar, tempFolder } from './support/events.js';

/** Returns the value of an unlabelled metric from the Prometheus text. */
function valueOf(text: string, name: string): number {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${name} `));

  if (line === undefined) {
    throw new Error(`metric ${name} is missing from:\n${text}`);
  }

  return Number(line.slice(name.length + 1));
}

describe('registerEventLogMetrics', () => {
  let temp: ReturnType<typeof tempFolder>;

  beforeEach(() => {
    temp = tempFolder();
  });

  afterEach(() => temp.remove());

  it('reads the counters at scrape time', async () => {
    const log = await SqliteEventLog.open({ file: join(temp.folder, 'events.sqlite') }, silentLogger());
    const registry = createMetricsRegistry();
    registerEventLogMetrics(log, registry);

    const before = await registry.metrics();
    await log.append([makeBar(0, 100), makeBar(1, 101)]);
    await log.append([makeBar(1, 101)]);
    const after = await registry.metrics();
    await log.close();

    expect(valueOf(before, 'tickflow_event_log_accepted_total')).to.equal(0);
    expect(valueOf(after, 'tickflow_event_log_accepted_total')).to.equal(2);
    expect(valueOf(after, 'tickflow_event_log_duplicates_total')).to.equal(1);
    expect(valueOf(after, 'tickflow_event_log_failed_batches_total')).to.equal(0);
    expect(valueOf(after, 'tickflow_event_log_busy_retries_total')).to.equal(0);
    expect(valueOf(after, 'tickflow_event_log_over_capacity_total')).to.equal(0);
    expect(valueOf(after, 'tickflow_event_log_dropped_total')).to.equal(0);
    expect(valueOf(after, 'tickflow_event_log_queued')).to.equal(0);
  });
});
