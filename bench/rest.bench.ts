import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { InProcessBus } from '../lib/bus/index.js';
import { TickflowError } from '../lib/errors.js';
import { Forecaster, ModelCache, selectBackend } from '../lib/model/index.js';
import { silentLogger } from '../lib/observability/logger.js';
import { createMetricsRegistry } from '../lib/observability/metrics.js';
import { packageRoot } from '../lib/paths.js';
import { createHttpServer, type HttpServer, type ServerPorts } from '../lib/server/index.js';
import { systemClock } from '../lib/time/clock.js';
import { benchRow, type BenchModule, type BenchRow } from './support/bench-row.js';
import { percentile } from './support/measure.js';

const MODEL_ID = 'SPX';
const CONNECTIONS = 100;
const SECONDS_PER_RUN = 4;
const TARGET_RATE = 200;
const BODIES = 64;

/** The part of autocannon's result this benchmark reads (autocannon 8 ships no types). */
interface LoadResult {
  readonly requests: { readonly average: number };
  readonly latency: { readonly p50: number; readonly p99: number };
  readonly non2xx: number;
  readonly errors: number;
}

type Autocannon = (options: Record<string, unknown>) => Promise<LoadResult>;

const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

interface DailyBar {
  readonly t: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

/** Reads the bundled S&P 500 daily file the SPX model was trained on. */
function readSp500(): DailyBar[] {
  const file = join(packageRoot(), 'node_modules', 'vega-datasets', 'data', 'sp500-2000.csv');

  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => {
      const [date, open, high, low, close, , volume] = line.split(',');

      return { t: Date.parse(`${date}T00:00:00Z`), open: +open, high: +high, low: +low, close: +close, volume: +volume };
    });
}

/** Request bodies with different windows, so the requests are not all alike. */
function predictBodies(bars: readonly DailyBar[], window: number): string[] {
  return Array.from({ length: BODIES }, (_, i) => {
    const end = bars.length - i * 37;

    return JSON.stringify({ instrument: MODEL_ID, bars: bars.slice(end - window - 5, end) });
  });
}

function portsFor(forecaster: Forecaster, cache: ModelCache): ServerPorts {
  const unused = (): never => {
    throw new TickflowError('not-configured', 'not used by this benchmark');
  };

  return {
    forecaster: {
      forecast: (request) =>
        forecaster.forecast({ ...request, bars: request.bars.map((bar) => ({ time: bar.time, open: bar.data.open, high: bar.data.high, low: bar.data.low, close: bar.data.close })) }),
      windowLength: (instrument) => forecaster.windowLength(instrument) ?? 0,
      hasModel: (instrument) => forecaster.hasModel(instrument),
    },
    signals: { signalFor: () => null },
    events: { query: () => ({ events: [], nextCursor: null }) },
    bars: { instruments: () => [MODEL_ID], latest: () => [], range: () => [] },
    positions: { positions: () => [] },
    risk: { halt: unused, resume: unused, halted: false },
    models: { reload: unused, list: () => [] },
    readiness: { modelsLoaded: () => cache.ready, logWritable: () => true, pipelinesRunning: () => true },
  };
}

async function load(url: string, bodies: readonly string[]): Promise<LoadResult> {
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: SECONDS_PER_RUN,
    // The load generator runs in a worker thread, so the server's event loop is measured alone.
    workers: 1,
    requests: bodies.map((body) => ({ method: 'POST', path: '/api/ml/lstm/predict', headers: { 'content-type': 'application/json' }, body })),
  });

  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`load run failed: ${result.non2xx} non-2xx responses, ${result.errors} errors`);
  }

  return result;
}

/**
 * An open-loop client that sends one request every 1/rate seconds over a pool of keep-alive
 * connections and records each latency. autocannon's `overallRate` fires each connection's
 * share of a second at the start of that second, which measures bursts of 100 requests rather
 * than a steady rate. Plain JavaScript evaluated in a worker thread, off the server's event loop.
 */
const PACED_CLIENT = `
const http = require('node:http');
const { parentPort, workerData } = require('node:worker_threads');
const { performance } = require('node:perf_hooks');
const { url, bodies, rate, seconds, connections } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
const target = new URL(url);
const latencies = [];
let failures = 0;
let pending = 0;
const total = Math.round(rate * seconds);
const start = performance.now();
function send(i) {
  const body = bodies[i % bodies.length];
  const started = performance.now();
  pending++;
  const request = http.request({ agent, host: target.hostname, port: target.port, path: '/api/ml/lstm/predict', method: 'POST',
    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (response) => {
    response.resume();
    response.on('end', () => {
      if (response.statusCode === 200) latencies.push(performance.now() - started); else failures++;
      done();
    });
  });
  request.on('error', () => { failures++; done(); });
  request.end(body);
}
function done() {
  pending--;
  if (sent === total && pending === 0) { agent.destroy(); parentPort.postMessage({ latencies, failures }); }
}
let sent = 0;
function tick() {
  const due = Math.min(total, Math.floor((performance.now() - start) * rate / 1000) + 1);
  while (sent < due) send(sent++);
  if (sent < total) setTimeout(tick, 1);
}
tick();
`;

async function paced(url: string, bodies: readonly string[], rate: number): Promise<{ p50: number; p99: number }> {
  const worker = new Worker(PACED_CLIENT, { eval: true, workerData: { url, bodies, rate, seconds: SECONDS_PER_RUN, connections: CONNECTIONS } });
  const [result] = (await once(worker, 'message')) as [{ latencies: number[]; failures: number }];

  await worker.terminate();

  if (result.failures > 0) {
    throw new Error(`paced run failed: ${result.failures} requests got no 200 response`);
  }

  return { p50: percentile(result.latencies, 50), p99: percentile(result.latencies, 99) };
}

/** Calls the forecaster in-process from closed-loop callers, for the cost of a forecast without HTTP. */
async function direct(forecaster: Forecaster, bodies: readonly string[], callers: number): Promise<{ rate: number; p50: number; p99: number }> {
  const requests = bodies.map((body) => {
    const parsed = JSON.parse(body) as { bars: DailyBar[] };

    return parsed.bars.map((bar) => ({ time: bar.t, open: bar.open, high: bar.high, low: bar.low, close: bar.close }));
  });
  const end = performance.now() + SECONDS_PER_RUN * 1000;
  const latencies: number[] = [];
  const caller = async (offset: number): Promise<void> => {
    for (let i = offset; performance.now() < end; i += callers) {
      const started = performance.now();

      await forecaster.forecast({ instrument: MODEL_ID, bars: requests[i % requests.length], source: 'api' });
      latencies.push(performance.now() - started);
    }
  };
  const started = performance.now();

  await Promise.all(Array.from({ length: callers }, (_, offset) => caller(offset)));

  return { rate: latencies.length / ((performance.now() - started) / 1000), p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

async function startServer(forecaster: Forecaster, cache: ModelCache): Promise<{ server: HttpServer; url: string; bus: InProcessBus }> {
  const bus = new InProcessBus(silentLogger());
  const server = createHttpServer({ bus, logger: silentLogger(), metrics: createMetricsRegistry(), clock: systemClock, ports: portsFor(forecaster, cache) });
  const { port } = await server.listen(0, '127.0.0.1');

  return { server, url: `http://127.0.0.1:${port}`, bus };
}

async function measureMode(label: string, maxBatchSize: number, cache: ModelCache, bodies: readonly string[], log: (line: string) => void): Promise<BenchRow[]> {
  const forecaster = new Forecaster({ cache, clock: systemClock, maxBatchSize });
  const { server, url, bus } = await startServer(forecaster, cache);
  const baseline = await direct(forecaster, bodies, CONNECTIONS);
  const alone = await direct(forecaster, bodies, 1);
  const saturated = await load(url, bodies);
  const steady = await paced(url, bodies, TARGET_RATE);

  log(`${label}: ${saturated.requests.average} requests/s saturated, p99 ${steady.p99.toFixed(2)} ms at ${TARGET_RATE} requests/s`);
  await server.close();
  bus.close();

  const direct100 = `forecaster called directly, ${CONNECTIONS} callers`;
  const lone = 'forecaster called directly, one caller';

  return [
    benchRow(`REST predict ${label}, ${CONNECTIONS} connections`, saturated.requests.average, 'requests/s', 'higher', { name: direct100, value: baseline.rate }),
    benchRow(`REST predict ${label}, p50 saturated`, saturated.latency.p50, 'ms', 'lower', { name: direct100, value: baseline.p50 }),
    benchRow(`REST predict ${label}, p99 saturated`, saturated.latency.p99, 'ms', 'lower', { name: direct100, value: baseline.p99 }),
    benchRow(`REST predict ${label}, p50 at a steady ${TARGET_RATE} requests/s`, steady.p50, 'ms', 'lower', { name: lone, value: alone.p50 }),
    benchRow(`REST predict ${label}, p99 at a steady ${TARGET_RATE} requests/s (target < 20 ms)`, steady.p99, 'ms', 'lower', { name: lone, value: alone.p99 }),
  ];
}

const bench: BenchModule = {
  title: 'REST predict under load (autocannon, shipped SPX model)',
  async run(log) {
    const backend = await selectBackend(silentLogger());
    const cache = new ModelCache({ modelsDir: join(packageRoot(), 'models'), logger: silentLogger() });

    await cache.preload([MODEL_ID]);

    const window = new Forecaster({ cache, clock: systemClock }).windowLength(MODEL_ID) ?? 0;
    const bodies = predictBodies(readSp500(), window);

    log(`backend ${backend.name}; ${bodies.length} distinct request bodies of ${bodies[0].length} bytes`);

    const rows = [...(await measureMode('batching on', 64, cache, bodies, log)), ...(await measureMode('batching off', 1, cache, bodies, log))];

    cache.dispose();

    return rows;
  },
};

export default bench;
