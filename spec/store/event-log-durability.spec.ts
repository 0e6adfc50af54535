import { spawn } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { InProcessBus } from '../../lib/bus/index.js';
import { silentLogger } from '../../lib/observability/logger.js';
import { packageRoot } from '../../lib/paths.js';
import { SqliteEventLog, verifyEventLog } from '../../lib/store/index.js';
import { binanceTrades, tempFolder } from './support/events.js';

const FIXTURE = join(packageRoot(), 'spec', 'store', 'fixtures', 'append-stream.ts');

interface ChildRun {
  acked: number;
  lines: string[];
  signal: NodeJS.Signals | null;
}

/** Runs the appending child; kills it with SIGKILL once `killAfter` events are acknowledged. */
function runChild(file: string, killAfter = Number.POSITIVE_INFINITY): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE, file], { cwd: packageRoot(), stdio: ['ignore', 'pipe', 'pipe'] });
    const run: ChildRun = { acked: 0, lines: [], signal: null };
    let buffered = '';
    let stderr = '';

    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';

      for (const line of lines) {
        run.lines.push(line);
        const match = /^acked (\d+)$/.exec(line);

        if (match !== null) {
          run.acked = Number(match[1]);
        }

        if (run.acked >= killAfter) {
          child.kill('SIGKILL');
        }
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      run.signal = signal;

      if (signal === null && code !== 0) {
        reject(new Error(`child exited with ${code}: ${stderr}`));
        return;
      }

      resolve(run);
    });
  });
}

function storedIds(file: string): string[] {
  const db = new Database(file, { readonly: true });
  const ids = db.prepare('SELECT id FROM events ORDER BY seq').pluck().all() as string[];
  db.close();
  return ids;
}

describe('SqliteEventLog durability', () => {
  let temp: ReturnType<typeof tempFolder>;
  let file: string;
  const trades = binanceTrades();

  beforeEach(() => {
    temp = tempFolder();
    file = join(temp.folder, 'events.sqlite');
  });

  afterEach(() => temp.remove());

  it('keeps acknowledged events through SIGKILL', async function () {
    this.timeout(60_000);

    const killed = await runChild(file, 3000);
    const afterKill = storedIds(file);
    const acknowledged = trades.slice(0, killed.acked).map((trade) => trade.id);
    const stored = new Set(afterKill);

    expect(killed.signal).to.equal('SIGKILL');
    expect(afterKill.length).to.be.lessThan(trades.length);
    expect(acknowledged.filter((id) => !stored.has(id))).to.deep.equal([]);
    expect(verifyEventLog(file).ok).to.equal(true);

    const restarted = await runChild(file);
    const afterRestart = storedIds(file);

    expect(restarted.lines).to.include(`done inserted ${trades.length - afterKill.length}`);
    expect(afterRestart).to.have.length(trades.length);
    expect(new Set(afterRestart).size).to.equal(trades.length);
    expect(verifyEventLog(file)).to.include({ ok: true, rows: trades.length });
  });

  it('stores every trade through an exclusive lock', async function () {
    this.timeout(60_000);

    const bus = new InProcessBus(silentLogger());
    const log = await SqliteEventLog.open({ file, busyTimeoutMs: 100, retryDelayMs: 20 }, silentLogger());
    const subscription = log.attach(bus);
    const lockAt = Math.floor(trades.length / 2);
    let ticksWhileLocked = 0;
    let locker: Database.Database | undefined;
    let rowsWhenLocked = 0;

    for (let start = 0; start < trades.length; start += 500) {
      if (start >= lockAt && locker === undefined) {
        await log.flush();
        rowsWhenLocked = log.count();
        locker = new Database(file);
        locker.exec('BEGIN EXCLUSIVE');
      }

      for (const trade of trades.slice(start, start + 500)) bus.publish('trade', trade);
      await new Promise((resolve) => setImmediate(resolve));
    }

    // The writer is stuck behind the lock, yet this thread keeps turning.
    const heldUntil = Date.now() + 400;
    while (Date.now() < heldUntil) {
      ticksWhileLocked++;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }

    const rowsWhileLocked = log.count();
    locker?.exec('COMMIT');
    locker?.close();
    await log.flush();
    subscription.unsubscribe();
    const counters = log.counters();
    await log.close();

    expect(rowsWhileLocked).to.equal(rowsWhenLocked);
    expect(ticksWhileLocked).to.be.greaterThan(10);
    expect(counters.busyRetries).to.be.greaterThan(0);
    expect(counters.attachedAccepted).to.equal(trades.length);
    expect(storedIds(file)).to.have.length(12_477);
    expect(verifyEventLog(file).ok).to.equal(true);
  });
});
