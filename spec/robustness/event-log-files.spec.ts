import { closeSync, openSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { silentLogger } from '../../lib/observability/logger.js';
import { SqliteEventLog } from '../../lib/store/index.js';
import { makeBar, tempFolder } from '../store/support/events.js';

/** Resolves to the rejection of a promise, or fails the test when it resolves. */
async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }

  throw new Error('expected the promise to reject');
}

/** Returns what `PRAGMA quick_check` reports, or the error it throws. */
function quickCheck(file: string): string {
  const db = new Database(file, { readonly: true });

  try {
    return JSON.stringify(db.pragma('quick_check'));
  } catch (error) {
    return (error as Error).message;
  } finally {
    db.close();
  }
}

/** Overwrites `length` bytes from the middle of a file with zeros. */
function zeroMiddle(file: string, length: number): void {
  const descriptor = openSync(file, 'r+');

  writeSync(descriptor, Buffer.alloc(length), 0, length, Math.floor(statSync(file).size / 2));
  closeSync(descriptor);
}

function storedIds(file: string): string[] {
  const db = new Database(file, { readonly: true });
  const ids = db.prepare('SELECT id FROM events ORDER BY seq').pluck().all() as string[];

  db.close();
  return ids;
}

describe('event log on damaged or shared files', () => {
  let temp: ReturnType<typeof tempFolder>;
  let file: string;

  beforeEach(() => {
    temp = tempFolder('tickflow-robust-');
    file = join(temp.folder, 'events.sqlite');
  });

  afterEach(() => temp.remove());

  it('file that is not a database names the cause', async () => {
    writeFileSync(file, 'this is not a database, only text that is long enough to have a header');

    const error = await rejectionOf(SqliteEventLog.open({ file }, silentLogger()));

    expect(error.message).to.contain(file);
    expect(error.message).to.not.match(/undefined$/);
    expect(error.message).to.contain('not a database');
  });

  it('malformed database is refused at open', async () => {
    const first = await SqliteEventLog.open({ file }, silentLogger());

    await first.append(Array.from({ length: 3000 }, (_, index) => makeBar(index, 100 + (index % 50))));
    await first.close();
    zeroMiddle(file, 8192);

    expect(quickCheck(file)).to.not.equal('[{"quick_check":"ok"}]');

    const error = await rejectionOf(SqliteEventLog.open({ file }, silentLogger()));

    expect(error.message).to.contain(file);
  });

  it('second writer on one file loses no events', async () => {
    const first = await SqliteEventLog.open({ file }, silentLogger());
    const second = await SqliteEventLog.open({ file }, silentLogger()).catch((error: Error) => error);

    if (second instanceof Error) {
      // Refusing the second writer is also a correct outcome.
      await first.close();
      expect(second.message).to.contain(file);
      return;
    }

    await second.append([makeBar(1, 101)]);
    const outcome = await first.append([makeBar(2, 102)]);

    await second.close();
    await first.close();

    expect(outcome).to.deep.equal({ inserted: 1, duplicates: 0 });
    expect(storedIds(file)).to.deep.equal([makeBar(1, 101).id, makeBar(2, 102).id]);
  });

  it('missing folder is created', async () => {
    const nested = join(temp.folder, 'a', 'b', 'events.sqlite');
    const log = await SqliteEventLog.open({ file: nested }, silentLogger());

    await log.append([makeBar(0, 100)]);
    await log.close();

    expect(storedIds(nested)).to.deep.equal([makeBar(0, 100).id]);
  });
});
