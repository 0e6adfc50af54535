import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { Command } from 'commander';
import sinon from 'sinon';
import { registerLogCommand } from '../../../lib/cli/commands/log.js';
import { EventLogWriter, toLogRow } from '../../../lib/store/index.js';
import { makeBar, tempFolder } from '../../store/support/events.js';

async function runLog(args: string[]): Promise<{ code: number | undefined; out: string; err: string }> {
  const program = new Command('tickflow').exitOverride();
  registerLogCommand(program);

  const out = sinon.stub(process.stdout, 'write').returns(true);
  const err = sinon.stub(process.stderr, 'write').returns(true);
  const before = process.exitCode;

  try {
    await program.parseAsync(['log', ...args], { from: 'user' });
    return { code: process.exitCode as number | undefined, out: out.args.map((call) => String(call[0])).join(''), err: err.args.map((call) => String(call[0])).join('') };
  } finally {
    out.restore();
    err.restore();
    process.exitCode = before;
  }
}

describe('tickflow log verify', () => {
  let temp: ReturnType<typeof tempFolder>;
  let file: string;
  let head: string;

  beforeEach(() => {
    temp = tempFolder();
    file = join(temp.folder, 'events.sqlite');
    const writer = new EventLogWriter({ file, busyTimeoutMs: 1000 });
    writer.writeBatch(Array.from({ length: 5 }, (_, i) => toLogRow(makeBar(i, 100 + i))));
    head = writer.headHash;
    writer.close();
  });

  afterEach(() => temp.remove());

  it('exits 0 for an intact log', async () => {
    const result = await runLog(['verify', file, '--head', head]);

    expect(result.code).to.equal(0);
    expect(result.out).to.include('intact, 5 rows');
  });

  it('exits 1 naming the changed row', async () => {
    const db = new Database(file);
    db.exec(`UPDATE events SET body = replace(body, '"close":102', '"close":1') WHERE seq = 3`);
    db.close();
    const result = await runLog(['verify', file]);

    expect(result.code).to.equal(1);
    expect(result.out).to.include('tampered at row 3');
  });

  it('exits 1 for a cut tail', async () => {
    const db = new Database(file);
    db.exec('DELETE FROM events WHERE seq = 5');
    db.close();
    const result = await runLog(['verify', file, '--head', head]);

    expect(result.code).to.equal(1);
    expect(result.out).to.include('cut off');
  });

  it('exits 1 for a missing file', async () => {
    const result = await runLog(['verify', join(temp.folder, 'none.sqlite')]);

    expect(result.code).to.equal(1);
    expect(result.err).to.include('does not exist');
  });
});
