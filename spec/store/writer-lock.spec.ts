import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { silentLogger } from '../../lib/observability/logger.js';
import { EventLogWriter, SqliteEventLog } from '../../lib/store/index.js';
import { acquireWriterLock, lockFileOf, releaseWriterLock } from '../../lib/store/writer-lock.js';
import { makeBar, tempFolder } from './support/events.js';

/** Returns the pid of a process that has already exited. */
function exitedPid(): number {
  const child = spawnSync(process.execPath, ['-e', '0']);
  return child.pid ?? 0;
}

describe('writer lock', () => {
  let temp: ReturnType<typeof tempFolder>;
  let file: string;

  beforeEach(() => {
    temp = tempFolder();
    file = join(temp.folder, 'events.sqlite');
  });

  afterEach(() => temp.remove());

  it('names the holding pid for a second writer', async () => {
    const first = await SqliteEventLog.open({ file }, silentLogger());
    const error = await SqliteEventLog.open({ file }, silentLogger()).catch((caught: unknown) => caught as Error);
    await first.close();

    expect(error).to.be.instanceOf(Error);
    expect(error).to.include({ code: 'event-log-locked' });
    expect((error as Error).message).to.contain(file);
    expect((error as Error).message).to.contain(`process ${process.pid}`);
  });

  it('is released on close', async () => {
    const first = await SqliteEventLog.open({ file }, silentLogger());
    const lockedWhileOpen = existsSync(lockFileOf(file));
    await first.close();

    expect(lockedWhileOpen).to.equal(true);
    expect(existsSync(lockFileOf(file))).to.equal(false);

    const second = await SqliteEventLog.open({ file }, silentLogger());
    const outcome = await second.append([makeBar(0, 100)]);
    await second.close();

    expect(outcome.inserted).to.equal(1);
  });

  it('replaces a lock of an exited process', () => {
    writeFileSync(lockFileOf(file), `${exitedPid()}\nold-token\n`);

    const writer = new EventLogWriter({ file, busyTimeoutMs: 1000, lockToken: 'new-token' });
    const holder = readFileSync(lockFileOf(file), 'utf8');
    writer.close();

    expect(holder).to.equal(`${process.pid}\nnew-token\n`);
  });

  it('replaces an empty lock file', () => {
    writeFileSync(lockFileOf(file), '');

    const writer = new EventLogWriter({ file, busyTimeoutMs: 1000 });
    writer.close();

    expect(existsSync(lockFileOf(file))).to.equal(false);
  });

  it('keeps a lock taken over by another writer', () => {
    acquireWriterLock(file, 'mine');
    writeFileSync(lockFileOf(file), `${process.pid}\ntheirs\n`);
    releaseWriterLock(file, 'mine');

    expect(readFileSync(lockFileOf(file), 'utf8')).to.contain('theirs');
  });

  it('is released when the file cannot be opened', () => {
    writeFileSync(file, 'not a database, only text that is long enough to fill a header');

    expect(() => new EventLogWriter({ file, busyTimeoutMs: 1000 })).to.throw(/not a sound SQLite database/);
    expect(existsSync(lockFileOf(file))).to.equal(false);
  });
});
