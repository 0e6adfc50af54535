import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { openForReading } from '../../lib/store/open-for-reading.js';
import { tempFolder } from './support/events.js';

describe('openForReading', () => {
  let temp: ReturnType<typeof tempFolder>;

  beforeEach(() => {
    temp = tempFolder();
  });

  afterEach(() => temp.remove());

  function failure(file: string): { code?: string; message: string } {
    try {
      openForReading(file).close();
    } catch (error) {
      return error as { code?: string; message: string };
    }

    throw new Error(`${file} opened`);
  }

  it('names a missing file', () => {
    const file = join(temp.folder, 'none.sqlite');

    expect(failure(file)).to.include({ code: 'event-log-missing', message: `event log ${file} does not exist` });
  });

  it('names a directory, an empty file and a text file', () => {
    const empty = join(temp.folder, 'empty.sqlite');
    const text = join(temp.folder, 'text.sqlite');
    writeFileSync(empty, '');
    writeFileSync(text, 'hello, not a database\n');

    expect(failure(temp.folder).message).to.contain(`${temp.folder} is a directory`);
    expect(failure(empty).message).to.contain(`${empty} is empty`);
    expect(failure(text).message).to.contain(`${text} is not an SQLite database`);
    expect(failure(text).code).to.equal('event-log-invalid');
  });

  it('names an SQLite file without the log tables', () => {
    const file = join(temp.folder, 'other.sqlite');
    const db = new Database(file);
    db.exec('CREATE TABLE notes (text TEXT)');
    db.close();

    expect(failure(file)).to.include({ code: 'event-log-invalid' });
    expect(failure(file).message).to.contain(`${file} is an SQLite database but not an event log`);
  });
});
