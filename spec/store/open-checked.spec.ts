import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { silentLogger } from '../../lib/observability/logger.js';
import { EventLogWriter, SqliteEventLog, toLogRow } from '../../lib/store/index.js';
import { makeBar, tempFolder } from './support/events.js';

async function openError(file: string): Promise<Error & { code?: string }> {
  return SqliteEventLog.open({ file }, silentLogger()).then(
    async (log) => {
      await log.close();
      throw new Error(`expected opening ${file} to fail`);
    },
    (error: unknown) => error as Error & { code?: string },
  );
}

describe('event log open checks', () => {
  let temp: ReturnType<typeof tempFolder>;
  let file: string;

  beforeEach(() => {
    temp = tempFolder();
    file = join(temp.folder, 'events.sqlite');
  });

  afterEach(() => temp.remove());

  it('rejects a directory with the path and a fix', async () => {
    mkdirSync(file);

    const error = await openError(file);

    expect(error.code).to.equal('event-log-open-failed');
    expect(error.message).to.contain(file);
    expect(error.message).to.contain('SQLITE_CANTOPEN');
    expect(error.message).to.contain('TICKFLOW_EVENT_LOG');
  });

  it('rejects a truncated log as malformed', async () => {
    const writer = new EventLogWriter({ file, busyTimeoutMs: 1000 });
    writer.writeBatch(Array.from({ length: 2000 }, (_, i) => toLogRow(makeBar(i, 100 + i))));
    writer.close();
    const truncated = join(temp.folder, 'truncated.sqlite');
    writeFileSync(truncated, readFileSync(file).subarray(0, 20_000));

    const error = await openError(truncated);

    expect(error.code).to.equal('event-log-malformed');
    expect(error.message).to.contain(truncated);
    expect(error.message).to.contain(`tickflow log verify ${truncated}`);
    expect(error.message).to.contain('move the file aside');
  });

  it('rejects a log whose quick_check lists problems', async () => {
    const writer = new EventLogWriter({ file, busyTimeoutMs: 1000 });
    writer.writeBatch(Array.from({ length: 3000 }, (_, i) => toLogRow(makeBar(i, 100 + i))));
    writer.close();
    // Zeroes the start of the cell content area in the header of page 101 (4096-byte pages).
    const descriptor = openSync(file, 'r+');
    writeSync(descriptor, Buffer.from([0, 0]), 0, 2, 100 * 4096 + 5);
    closeSync(descriptor);

    const error = await openError(file);

    expect(error.code).to.equal('event-log-malformed');
    expect(error.message).to.match(/\(\d+ problems, the first: [^*]/);
  });

  it('rejects a text file as malformed', async () => {
    writeFileSync(file, 'a text file that only looks like a log by its name, long enough for a header');

    const error = await openError(file);

    expect(error.code).to.equal('event-log-malformed');
    expect(error.message).to.contain('file is not a database');
  });
});
