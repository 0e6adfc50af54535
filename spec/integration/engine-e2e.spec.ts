import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import WebSocket from 'ws';
import { packageRoot } from '../../lib/paths.js';
import { withoutCoverage } from '../support/child-env.js';

/** Asks the kernel for a free loopback port, then releases it for the engine to take. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** Polls a URL until it answers 200; the engine is a separate process, so there is no event to wait on. */
async function waitForOk(url: string, attempts: number): Promise<void> {
  for (let attempt = 0; attempt < attempts; attempt++) {
    const response = await fetch(url).catch(() => undefined);

    if (response?.status === 200) {
      return;
    }

    await new Promise((resolve) => setTimeout(resolve, 250));
  }

  throw new Error(`${url} did not answer 200 after ${attempts} attempts`);
}

function waitForExit(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

interface EventFrame {
  op: string;
  id?: string;
  event?: { type: string; instrument: string; source: string };
}

describe('engine end to end', function () {
  this.timeout(120_000);

  const folder = mkdtempSync(join(tmpdir(), 'tickflow-e2e-'));
  const logFile = join(folder, 'events.sqlite');
  let child: ChildProcess;
  let stderr = '';
  let port = 0;

  before(async () => {
    port = await freePort();
    child = spawn(process.execPath, ['--import', 'tsx', join(packageRoot(), 'lib', 'cli', 'main.ts'), 'run', 'pipelines/default.yaml'], {
      cwd: packageRoot(),
      env: { ...withoutCoverage(process.env), PORT: String(port), HOST: '127.0.0.1', TICKFLOW_REPLAY_SPEED: 'max', TICKFLOW_EVENT_LOG: logFile, TICKFLOW_SUMMARY_INTERVAL: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));

    await waitForOk(`http://127.0.0.1:${port}/ready`, 240);
  });

  after(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(folder, { recursive: true, force: true });
  });

  it('delivers signals, orders and forecasts and stops without losing events', async () => {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/ws`);
    const received: EventFrame[] = [];
    socket.on('message', (data) => received.push(JSON.parse(String(data)) as EventFrame));
    await new Promise((resolve) => socket.once('open', resolve));

    socket.send(JSON.stringify({ op: 'subscribe', id: 's1', types: ['signal', 'order'], filter: { instrument: 'SPX' }, since: 0, policy: { onOverflow: 'drop-oldest', maxQueue: 100_000 } }));
    socket.send(JSON.stringify({ op: 'subscribe', id: 'f1', types: ['forecast'], filter: { source: 'api' } }));
    await new Promise((resolve) => setTimeout(resolve, 200));

    const predict = await fetch(`http://127.0.0.1:${port}/api/ml/lstm/predict`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ instrument: 'SPX' }),
    });
    const body = (await predict.json()) as { forecast: { type: string; source: string; data: { volatility: number } }; signal: { data: { informational: boolean } } | null };

    expect(predict.status).to.equal(200);
    expect(body.forecast.type).to.equal('forecast');
    expect(body.forecast.source).to.equal('api');
    expect(body.forecast.data.volatility).to.be.greaterThan(0);

    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).to.match(/tickflow_inference_batch_size_count\{model="SPX"\} [1-9]/);
    expect(metrics).to.match(/tickflow_bus_published_total\{type="bar"\} [1-9]/);

    await waitForRunReport(() => stderr, 240);
    await new Promise((resolve) => setTimeout(resolve, 500));

    const events = received.filter((frame) => frame.op === 'event');
    const types = new Set(events.filter((frame) => frame.id === 's1').map((frame) => frame.event?.type));
    expect(types.has('signal')).to.equal(true);
    expect(types.has('order')).to.equal(true);
    expect(events.filter((frame) => frame.id === 'f1').length).to.be.at.least(1);
    expect(events.every((frame) => frame.event?.instrument === 'SPX')).to.equal(true);

    socket.close();
    child.kill('SIGTERM');
    const code = await waitForExit(child);
    expect(code).to.equal(0);

    const accepted = acceptedCount(stderr);
    const database = new Database(logFile, { readonly: true });
    const rows = database.prepare('SELECT count(*) AS n FROM events').get() as { n: number };
    const byType = database.prepare('SELECT type, count(*) AS n FROM events GROUP BY type').all() as { type: string; n: number }[];
    database.close();

    expect(rows.n).to.equal(accepted);
    const counts = Object.fromEntries(byType.map((row) => [row.type, row.n]));
    // sp500-2000.csv in vega-datasets 3.2.1 has 5,105 data rows, all valid.
    expect(counts.bar).to.equal(5105);
    expect(counts.forecast).to.be.greaterThan(5000);
    expect(counts.signal).to.be.greaterThan(0);
    expect(counts.order).to.be.greaterThan(0);
    expect(counts.fill).to.be.greaterThan(0);
  });
});

async function waitForRunReport(stderr: () => string, attempts: number): Promise<void> {
  for (let attempt = 0; attempt < attempts; attempt++) {
    if (stderr().includes('"msg":"run report"')) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }

  throw new Error('the engine logged no run report');
}

function acceptedCount(stderr: string): number {
  const line = stderr.split('\n').find((text) => text.includes('"msg":"engine stopped"'));

  if (line === undefined) throw new Error(`the engine logged no "engine stopped" line:\n${stderr.slice(-2000)}`);

  return (JSON.parse(line) as { accepted: number }).accepted;
}
