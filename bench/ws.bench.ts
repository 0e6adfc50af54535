import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { WebSocketServer } from 'ws';
import { InProcessBus } from '../lib/bus/index.js';
import type { BarEvent } from '../lib/events/index.js';
import { TickflowError } from '../lib/errors.js';
import { silentLogger } from '../lib/observability/logger.js';
import { createMetricsRegistry } from '../lib/observability/metrics.js';
import { createHttpServer, type ServerPorts } from '../lib/server/index.js';
import { systemClock } from '../lib/time/clock.js';
import { benchRow, type BenchModule, type BenchRow } from './support/bench-row.js';
import { percentile } from './support/measure.js';

const CLIENTS = 1000;
const RATE_PER_SECOND = 100;
const RATE_SECONDS = 4;
const BURST_EVENTS = 150;
/** Every this many clients records latencies; the others only count frames, so the clients cost less than the server. */
const SAMPLE_EVERY = 10;

/**
 * The clients run in a worker thread, so the main thread measures the server. Plain JavaScript
 * evaluated in the worker, because a worker does not inherit the TypeScript loader.
 */
const CLIENT_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { performance } = require('node:perf_hooks');
const WebSocket = require('ws');
const { url, clients, sampleEvery, subscribe } = workerData;
let received = 0;
let latencies = [];
const sockets = [];
function now() { return performance.timeOrigin + performance.now(); }
async function open(index) {
  const socket = new WebSocket(url, { perMessageDeflate: false });
  const sampled = index % sampleEvery === 0;
  await new Promise((resolve, reject) => { socket.once('open', resolve); socket.once('error', reject); });
  const acked = new Promise((resolve) => {
    socket.on('message', (data) => {
      const text = data.toString();
      if (text.startsWith('{"op":"ack"')) { resolve(); return; }
      received++;
      if (sampled) {
        const match = /"volume":([0-9.e+]+)/.exec(text);
        if (match) latencies.push(now() - Number(match[1]));
      }
    });
  });
  if (subscribe) { socket.send(JSON.stringify({ op: 'subscribe', id: 's1', types: ['bar'] })); await acked; }
  sockets.push(socket);
}
parentPort.on('message', async (message) => {
  if (message === 'connect') {
    for (let i = 0; i < clients; i += 100) await Promise.all(Array.from({ length: Math.min(100, clients - i) }, (_, j) => open(i + j)));
    parentPort.postMessage({ kind: 'ready' });
  } else if (message === 'reset') {
    received = 0; latencies = [];
    parentPort.postMessage({ kind: 'reset' });
  } else if (message === 'report') {
    parentPort.postMessage({ kind: 'report', received, latencies });
  } else if (message === 'close') {
    for (const socket of sockets) socket.terminate();
    parentPort.postMessage({ kind: 'closed' });
  }
});
`;

interface ClientReport {
  readonly received: number;
  readonly latencies: number[];
}

/** A worker holding the clients of one server. */
class ClientFleet {
  private readonly worker: Worker;

  constructor(url: string, subscribe: boolean) {
    this.worker = new Worker(CLIENT_WORKER, { eval: true, workerData: { url, clients: CLIENTS, sampleEvery: SAMPLE_EVERY, subscribe } });
  }

  async ask<T>(message: string, kind: string): Promise<T> {
    const reply = new Promise<T>((resolve) => {
      const listener = (data: { kind: string } & T): void => {
        if (data.kind === kind) {
          this.worker.off('message', listener);
          resolve(data);
        }
      };

      this.worker.on('message', listener);
    });

    this.worker.postMessage(message);

    return reply;
  }

  /** Polls until the clients hold the expected number of frames or the timeout passes. */
  async waitFor(expected: number, timeoutMs: number): Promise<ClientReport> {
    const deadline = performance.now() + timeoutMs;
    let report = await this.ask<ClientReport>('report', 'report');

    while (report.received < expected && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      report = await this.ask<ClientReport>('report', 'report');
    }

    return report;
  }

  async close(): Promise<void> {
    await this.ask('close', 'closed');
    await this.worker.terminate();
  }
}

function barAt(sequence: number): BarEvent {
  const id = `bench:${sequence}`;

  return {
    id,
    type: 'bar',
    time: sequence,
    ingestTime: sequence,
    source: 'bench',
    correlationId: id,
    instrument: 'SPX',
    // `volume` carries the publish time (UTC epoch milliseconds, fractional) for the latency figure.
    data: { open: 1469.25, high: 1478, low: 1438.36, close: 1455.22, volume: performance.timeOrigin + performance.now(), interval: 86_400_000 },
  };
}

/** Ports the WebSocket path never calls. */
function unusedPorts(): ServerPorts {
  const unused = (): never => {
    throw new TickflowError('not-configured', 'not used by this benchmark');
  };

  return {
    forecaster: { forecast: unused, windowLength: () => 0, hasModel: () => false },
    signals: { signalFor: () => null },
    events: { query: () => ({ events: [], nextCursor: null }) },
    bars: { instruments: () => [], latest: () => [], range: () => [] },
    positions: { positions: () => [] },
    risk: { halt: unused, resume: unused, halted: false },
    models: { reload: unused, list: () => [] },
    readiness: { modelsLoaded: () => true, logWritable: () => true, pipelinesRunning: () => true },
  };
}

type Publish = (event: BarEvent) => void;

/** Publishes at a fixed rate and returns the latencies the sampled clients saw. */
async function runAtRate(fleet: ClientFleet, publish: Publish): Promise<ClientReport> {
  const events = RATE_PER_SECOND * RATE_SECONDS;
  const intervalMs = 1000 / RATE_PER_SECOND;
  const start = performance.now();

  await fleet.ask('reset', 'reset');

  for (let sequence = 0; sequence < events; sequence++) {
    const due = start + sequence * intervalMs;
    const wait = due - performance.now();

    if (wait > 0) {
      await new Promise((resolve) => setTimeout(resolve, wait));
    }

    publish(barAt(sequence));
  }

  return fleet.waitFor(events * CLIENTS, 10_000);
}

/** Publishes a burst, yielding to I/O every few events, and returns frames delivered per second. */
async function runBurst(fleet: ClientFleet, publish: Publish): Promise<number> {
  await fleet.ask('reset', 'reset');

  const start = performance.now();

  for (let sequence = 0; sequence < BURST_EVENTS; sequence++) {
    publish(barAt(sequence));

    if (sequence % 5 === 4) {
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  const report = await fleet.waitFor(BURST_EVENTS * CLIENTS, 20_000);

  return report.received / ((performance.now() - start) / 1000);
}

async function startPlainBroadcast(): Promise<{ url: string; publish: Publish; close(): Promise<void> }> {
  const http = createServer();
  const wss = new WebSocketServer({ server: http, perMessageDeflate: false });

  http.listen(0, '127.0.0.1');
  await once(http, 'listening');

  const port = (http.address() as AddressInfo).port;
  const publish: Publish = (event) => {
    const frame = `{"op":"event","id":"s1","event":${JSON.stringify(event)}}`;

    for (const client of wss.clients) {
      client.send(frame);
    }
  };

  return {
    url: `ws://127.0.0.1:${port}/`,
    publish,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      wss.close();
      http.close();
    },
  };
}

function latencyRows(gateway: ClientReport, plain: ClientReport): BenchRow[] {
  const label = `${CLIENTS} clients at ${RATE_PER_SECOND} events/s`;
  const rows: BenchRow[] = [];

  for (const [name, p] of [['p50', 50], ['p99', 99], ['max', 100]] as const) {
    rows.push(
      benchRow(`ws delivery latency ${name}, ${label}`, percentile(gateway.latencies, p), 'ms', 'lower', { name: 'plain ws broadcast', value: percentile(plain.latencies, p) }),
    );
  }

  return rows;
}

const bench: BenchModule = {
  title: 'WebSocket gateway: bus publish to client receipt',
  async run(log) {
    const bus = new InProcessBus(silentLogger());
    const server = createHttpServer({ bus, logger: silentLogger(), metrics: createMetricsRegistry(), clock: systemClock, ports: unusedPorts() });
    const { port } = await server.listen(0, '127.0.0.1');
    const plain = await startPlainBroadcast();
    const gatewayFleet = new ClientFleet(`ws://127.0.0.1:${port}/ws`, true);
    const plainFleet = new ClientFleet(plain.url, false);
    const gatewayPublish: Publish = (event) => bus.publish('bar', event);

    await gatewayFleet.ask('connect', 'ready');
    await plainFleet.ask('connect', 'ready');
    log(`connected ${CLIENTS} clients to each server; publishing ${RATE_PER_SECOND} events/s for ${RATE_SECONDS} s`);

    const plainRate = await runAtRate(plainFleet, plain.publish);
    const gatewayRate = await runAtRate(gatewayFleet, gatewayPublish);

    log(`received at rate: gateway ${gatewayRate.received}, plain ${plainRate.received} of ${RATE_PER_SECOND * RATE_SECONDS * CLIENTS} frames`);

    const plainBurst = await runBurst(plainFleet, plain.publish);
    const gatewayBurst = await runBurst(gatewayFleet, gatewayPublish);
    const dropped = server.gateway.sessionStats().reduce((sum, stats) => sum + stats.dropped, 0);

    log(`gateway frames dropped by backpressure: ${dropped}`);

    await gatewayFleet.close();
    await plainFleet.close();
    await server.close();
    await plain.close();
    bus.close();

    return [
      ...latencyRows(gatewayRate, plainRate),
      benchRow(`ws max delivery, ${CLIENTS} clients, burst of ${BURST_EVENTS} events`, gatewayBurst, 'frames/s', 'higher', { name: 'plain ws broadcast', value: plainBurst }),
    ];
  },
};

export default bench;
