import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { from } from 'rxjs';
import { InProcessBus } from '../lib/bus/index.js';
import { defaultStageRegistry } from '../lib/engine/stage-kinds.js';
import type { BarEvent } from '../lib/events/index.js';
import { FORECASTER, Forecaster, MODEL_CACHE, ModelCache, selectBackend } from '../lib/model/index.js';
import { silentLogger } from '../lib/observability/logger.js';
import { createMetricsRegistry } from '../lib/observability/metrics.js';
import { createPipeline, loadPipelineFile, type PipelineSpec } from '../lib/pipeline/index.js';
import { packageRoot } from '../lib/paths.js';
import { Services } from '../lib/services.js';
import { replayLog, SqliteEventLog } from '../lib/store/index.js';
import { systemClock, VirtualClock } from '../lib/time/clock.js';
import { benchRow, type BenchModule } from './support/bench-row.js';

const PIPELINE = join(packageRoot(), 'pipelines', 'default.yaml');

function modelServices(): Services {
  const logger = silentLogger();
  const cache = new ModelCache({ modelsDir: join(packageRoot(), 'models'), logger });
  return new Services().set(MODEL_CACHE, cache).set(FORECASTER, new Forecaster({ cache, clock: systemClock }));
}

/** Records the full S&P 500 history through the default pipeline into a log, and returns the bars. */
async function recordHistory(spec: PipelineSpec, file: string): Promise<BarEvent[]> {
  const logger = silentLogger();
  const bus = new InProcessBus(logger);
  const log = await SqliteEventLog.open({ file }, logger);
  const bars: BarEvent[] = [];
  log.attach(bus);
  bus.subscribe('bar', 'bench', (bar) => bars.push(bar));

  const run = createPipeline(spec, { bus, logger, metrics: createMetricsRegistry(), clock: new VirtualClock(), services: modelServices(), registry: defaultStageRegistry() });
  run.start();
  await run.done();
  await log.close();
  return bars;
}

/** Model inference alone: the same bars through a pipeline that has only the `lstm` stage. */
async function inferenceOnly(spec: PipelineSpec, bars: readonly BarEvent[]): Promise<number> {
  const logger = silentLogger();
  const lstmOnly: PipelineSpec = { ...spec, stages: spec.stages.filter((stage) => stage.kind === 'lstm') };
  const run = createPipeline(lstmOnly, { bus: new InProcessBus(logger), logger, metrics: createMetricsRegistry(), clock: new VirtualClock(), services: modelServices(), registry: defaultStageRegistry(), source: from(bars) });
  const start = performance.now();

  run.start();
  await run.done();
  return (performance.now() - start) / 1000;
}

const bench: BenchModule = {
  title: 'Replay: full S&P 500 history through the default pipeline',
  async run(say) {
    if (!existsSync(join(packageRoot(), 'models', 'SPX'))) {
      say('skipped: models/SPX is missing; run "tickflow train" first');
      return [];
    }

    const loaded = await loadPipelineFile(PIPELINE, defaultStageRegistry());

    if (!loaded.ok) {
      say(`skipped: ${PIPELINE} is not valid`);
      return [];
    }

    await selectBackend(silentLogger());
    const folder = mkdtempSync(join(tmpdir(), 'tickflow-bench-replay-'));

    try {
      const file = join(folder, 'events.sqlite');
      const bars = await recordHistory(loaded.spec, file);
      const start = performance.now();
      const result = await replayLog({ spec: loaded.spec, logFile: file, registry: defaultStageRegistry(), services: modelServices(), logger: silentLogger() });
      const replaySeconds = (performance.now() - start) / 1000;
      const inferenceSeconds = await inferenceOnly(loaded.spec, bars);

      say(`${bars.length} bars; replay ${replaySeconds.toFixed(2)} s (identical: ${result.comparison.identical}); model inference alone ${inferenceSeconds.toFixed(2)} s`);
      return [benchRow('replay of the S&P 500 history', bars.length / replaySeconds, 'bars/s', 'higher', { name: 'lstm stage alone', value: bars.length / inferenceSeconds })];
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  },
};

export default bench;
