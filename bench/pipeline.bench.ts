import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { InProcessBus } from '../lib/bus/index.js';
import { silentLogger } from '../lib/observability/logger.js';
import { createMetricsRegistry } from '../lib/observability/metrics.js';
import { packageRoot } from '../lib/paths.js';
import { createPipeline, parsePipeline, passthroughStage, StageRegistry } from '../lib/pipeline/index.js';
import { Services } from '../lib/services.js';
import { systemClock } from '../lib/time/clock.js';
import { benchRow, type BenchModule } from './support/bench-row.js';

const DATA = join(packageRoot(), '..', 'shared', 'data');
const FILE = 'usdchf_30min_1996-2001.R-timeSeries.csv';
const ROWS = 62_496;
const ROUNDS = 5;

const PIPELINE = `id: bench
instruments: [USDCHF]
source:
  type: csv
  file: ${FILE}
  layout: close
  columns: {time: timestamp_utc, close: usdchf}
  interval: 30m
  speed: max
stages:
  - use: passthrough
  - use: passthrough
  - use: passthrough
`;

/** The floor: split the file into lines and fields, parse the time and the price, nothing else. */
function rawParseRate(): number {
  let best = 0;

  for (let round = 0; round < ROUNDS; round++) {
    const started = performance.now();
    const lines = readFileSync(join(DATA, FILE), 'utf8').split('\n');
    let sink = 0;

    for (let i = 1; i < lines.length; i++) {
      const fields = lines[i].split(',');

      if (fields.length === 3) {
        sink += Date.parse(fields[0]) + Number(fields[2]);
      }
    }

    if (sink === -1) throw new Error('unreachable: keeps the loop from being optimized away');
    best = Math.max(best, ROWS / ((performance.now() - started) / 1000));
  }

  return best;
}

async function pipelineRate(): Promise<number> {
  const registry = new StageRegistry().register(passthroughStage);
  const parsed = parsePipeline(PIPELINE, join(DATA, 'bench.yaml'), registry);

  if (!parsed.ok) {
    throw new Error(`benchmark pipeline is invalid: ${JSON.stringify(parsed.problems)}`);
  }

  let best = 0;

  for (let round = 0; round < ROUNDS; round++) {
    const bus = new InProcessBus(silentLogger());
    const run = createPipeline(parsed.spec, { bus, logger: silentLogger(), metrics: createMetricsRegistry(), clock: systemClock, services: new Services(), registry });
    const started = performance.now();

    run.start();
    const counts = await run.done();

    if (counts.out !== ROWS) throw new Error(`expected ${ROWS} bars out, got ${counts.out}`);
    best = Math.max(best, ROWS / ((performance.now() - started) / 1000));
  }

  return best;
}

const bench: BenchModule = {
  title: 'Pipeline: CSV source and three passthrough stages on USD/CHF 30-minute bars',
  async run() {
    const raw = rawParseRate();
    const pipeline = await pipelineRate();

    return [benchRow('pipeline csv -> 3x passthrough -> bus', pipeline, 'bars/s', 'higher', { name: 'split + Date.parse + Number', value: raw })];
  },
};

export default bench;
