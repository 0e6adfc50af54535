import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { bundledSource } from '../lib/model/bundled-data.js';
import type { DailyObservation } from '../lib/model/daily-series.js';
import { Forecaster, ModelCache, readTrainingCsv, selectBackend } from '../lib/model/index.js';
import { windowLengthOf } from '../lib/model/inference-input.js';
import type { LoadedModel } from '../lib/model/loaded-model.js';
import { silentLogger } from '../lib/observability/logger.js';
import { packageRoot } from '../lib/paths.js';
import { systemClock } from '../lib/time/clock.js';
import { benchRow, type BenchModule, type BenchRow } from './support/bench-row.js';
import { percentile } from './support/measure.js';

const MODEL_ID = 'SPX';
const SECONDS_PER_RUN = 2.5;
const LATENCY_SAMPLES = 300;
const CONCURRENCIES = [1, 8, 64];

/** Runs `concurrency` closed-loop callers for a while and returns completed calls per second. */
async function closedLoopRate(concurrency: number, call: (i: number) => Promise<unknown>): Promise<number> {
  const end = performance.now() + SECONDS_PER_RUN * 1000;
  let completed = 0;

  const worker = async (offset: number): Promise<void> => {
    for (let i = offset; performance.now() < end; i += concurrency) {
      await call(i);
      completed += 1;
    }
  };

  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, (_, offset) => worker(offset)));

  return completed / ((performance.now() - started) / 1000);
}

async function latencies(call: (i: number) => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];

  for (let i = 0; i < LATENCY_SAMPLES; i++) {
    const started = performance.now();
    await call(i);
    samples.push(performance.now() - started);
  }

  return samples;
}

const bench: BenchModule = {
  title: 'LSTM forecasts: micro-batched versus one predict call per forecast',
  async run(log) {
    const backend = await selectBackend(silentLogger());
    const cache = new ModelCache({ modelsDir: join(packageRoot(), 'models'), logger: silentLogger() });
    await cache.preload([MODEL_ID]);

    const model = cache.current(MODEL_ID) as LoadedModel;
    const forecaster = new Forecaster({ cache, clock: systemClock, maxBatchSize: 64 });
    const series = await readTrainingCsv(bundledSource(MODEL_ID)!);
    const length = windowLengthOf(model.meta);
    const windows: DailyObservation[][] = Array.from({ length: 512 }, (_, i) => series.observations.slice(i * 7, i * 7 + length));
    const single = (i: number) => model.predictVariances([windows[i % windows.length]]);
    const batched = (i: number) => forecaster.predict(MODEL_ID, windows[i % windows.length]);
    const macs = model.meta.network.macsPerForecast;

    log(`backend ${backend.name}; model ${MODEL_ID} ${model.meta.network.layers.join(' + ')}, window ${model.meta.window}; ${macs.toLocaleString('en-US')} multiply-accumulates per forecast`);

    const loneBatched = await latencies(batched);
    const loneSingle = await latencies(single);
    const rows: BenchRow[] = [
      benchRow('lstm forecast latency p50 (batcher, lone request)', percentile(loneBatched, 50), 'ms', 'lower', { name: 'direct predict', value: percentile(loneSingle, 50) }),
      benchRow('lstm forecast latency p99 (batcher, lone request)', percentile(loneBatched, 99), 'ms', 'lower', { name: 'direct predict', value: percentile(loneSingle, 99) }),
    ];

    for (const concurrency of CONCURRENCIES) {
      const oneAtATime = await closedLoopRate(concurrency, single);
      const batchedRate = await closedLoopRate(concurrency, batched);

      rows.push(benchRow(`lstm forecasts/s at concurrency ${concurrency} (batched)`, batchedRate, 'forecasts/s', 'higher', { name: 'one predict per forecast', value: oneAtATime }));
      log(`concurrency ${concurrency}: batched ${Math.round(batchedRate)} forecasts/s = ${((batchedRate * macs) / 1e6).toFixed(1)} MMAC/s; one at a time ${Math.round(oneAtATime)} forecasts/s = ${((oneAtATime * macs) / 1e6).toFixed(1)} MMAC/s`);
    }

    cache.dispose();
    return rows;
  },
};

export default bench;
