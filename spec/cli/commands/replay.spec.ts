import { copyFileSync, cpSync, mkdirSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { expect } from 'chai';
import { from } from 'rxjs';
import { replayCommand } from '../../../lib/cli/commands/replay.js';
import { InProcessBus } from '../../../lib/bus/index.js';
import { defaultStageRegistry } from '../../../lib/engine/stage-kinds.js';
import { FORECASTER, Forecaster, MODEL_CACHE, ModelCache, selectBackend } from '../../../lib/model/index.js';
import { silentLogger } from '../../../lib/observability/logger.js';
import { createMetricsRegistry } from '../../../lib/observability/metrics.js';
import { createPipeline, loadPipelineFile } from '../../../lib/pipeline/index.js';
import { packageRoot } from '../../../lib/paths.js';
import { Services } from '../../../lib/services.js';
import { SqliteEventLog } from '../../../lib/store/index.js';
import { systemClock, VirtualClock } from '../../../lib/time/clock.js';
import { tempFolder } from '../../store/support/events.js';
import { sp500Bars } from '../../store/support/sp500.js';

const PIPELINE = join(packageRoot(), 'pipelines', 'default.yaml');

/** Records a live run of the default pipeline, with its real SPX model, over the first bars of the S&P 500. */
async function recordDefaultPipeline(file: string): Promise<void> {
  const logger = silentLogger();
  const loaded = await loadPipelineFile(PIPELINE, defaultStageRegistry());

  if (!loaded.ok) throw new Error('pipelines/default.yaml is invalid');

  await selectBackend(logger);
  const cache = new ModelCache({ modelsDir: join(packageRoot(), 'models'), logger });
  const services = new Services().set(MODEL_CACHE, cache).set(FORECASTER, new Forecaster({ cache, clock: systemClock }));
  const bus = new InProcessBus(logger);
  const log = await SqliteEventLog.open({ file }, logger);
  log.attach(bus);

  const run = createPipeline(loaded.spec, { bus, logger, metrics: createMetricsRegistry(), clock: new VirtualClock(), services, registry: defaultStageRegistry(), source: from(sp500Bars(250)) });
  run.start();
  await run.done();
  await log.close();
}

function capture(): { lines: string[]; errors: string[]; output: { out(line: string): void; err(line: string): void } } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, output: { out: (line) => lines.push(line), err: (line) => errors.push(line) } };
}

describe('tickflow replay', () => {
  let temp: ReturnType<typeof tempFolder>;
  let file: string;

  before(async function () {
    this.timeout(60_000);
    temp = tempFolder();
    file = join(temp.folder, 'events.sqlite');
    await recordDefaultPipeline(file);
  });

  after(() => temp.remove());

  it('finds no change with the same model', async function () {
    this.timeout(60_000);
    const { lines, errors, output } = capture();
    const code = await replayCommand(PIPELINE, { log: file, check: true }, output, silentLogger());

    expect(errors).to.deep.equal([]);
    expect(code).to.equal(0);
    expect(lines.join('\n')).to.include('identical to the recorded run');
    expect(lines.join('\n')).to.match(/forecast\s+[1-9]\d+ recorded, [1-9]\d+ replayed, 0 differ/);
    expect(lines.join('\n')).to.match(/order\s+[1-9]\d* recorded/);
  });

  it('exits 1 with another model', async function () {
    this.timeout(60_000);
    const models = join(temp.folder, 'models');
    mkdirSync(models);
    cpSync(join(packageRoot(), 'models', 'GOOG'), join(models, 'SPX'), { recursive: true });
    const { lines, output } = capture();
    const code = await replayCommand(PIPELINE, { log: file, model: models, check: true }, output, silentLogger());

    expect(code).to.equal(1);
    expect(lines.join('\n')).to.include('differs from the recorded run');
    expect(lines.join('\n')).to.match(/P&L\s+/);
  });

  it('repeats a time range of the recorded run', async function () {
    this.timeout(60_000);
    const { lines, errors, output } = capture();
    const code = await replayCommand(PIPELINE, { log: file, from: String(sp500Bars(250)[120].time), check: true }, output, silentLogger());

    expect(errors).to.deep.equal([]);
    expect(code).to.equal(0);
    expect(lines.join('\n')).to.include('identical to the recorded run');
    expect(lines.join('\n')).to.match(/forecast\s+[1-9]\d+ recorded, [1-9]\d+ replayed, 0 differ/);
  });

  it('stops before replaying when a model is missing', async () => {
    const models = join(temp.folder, 'no-models');
    mkdirSync(models);
    const { lines, errors, output } = capture();
    const code = await replayCommand(PIPELINE, { log: file, model: models }, output, silentLogger());

    expect(code).to.equal(1);
    expect(lines).to.deep.equal([]);
    expect(errors.join('\n')).to.include(models).and.include('"SPX"').and.not.include('    at ');
  });

  it('stops before replaying when --model is a file or missing', async () => {
    for (const models of [file, join(temp.folder, 'missing-models')]) {
      const { lines, errors, output } = capture();
      const code = await replayCommand(PIPELINE, { log: file, model: models }, output, silentLogger());

      expect(code).to.equal(1);
      expect(lines).to.deep.equal([]);
      expect(errors.join('\n')).to.include(models);
    }
  });

  it('stops before replaying when a model has a broken meta.json', async () => {
    const models = join(temp.folder, 'broken-models');
    cpSync(join(packageRoot(), 'models', 'SPX'), join(models, 'SPX'), { recursive: true });
    writeFileSync(join(models, 'SPX', 'meta.json'), '{ not json');
    const { lines, errors, output } = capture();
    const code = await replayCommand(PIPELINE, { log: file, model: models }, output, silentLogger());

    expect(code).to.equal(1);
    expect(lines).to.deep.equal([]);
    expect(errors.join('\n')).to.include(models).and.include('SPX');
  });

  it('refuses a tampered log unless told not to verify', async function () {
    this.timeout(60_000);
    const tampered = join(temp.folder, 'tampered.sqlite');
    copyFileSync(file, tampered);
    const db = new Database(tampered);
    db.prepare("UPDATE events SET body = '{bad' WHERE seq = 5").run();
    db.close();

    const refused = capture();
    const refusedCode = await replayCommand(PIPELINE, { log: tampered }, refused.output, silentLogger());
    const unread = capture();
    const unreadCode = await replayCommand(PIPELINE, { log: tampered, verify: false }, unread.output, silentLogger());

    expect(refusedCode).to.equal(1);
    expect(refused.lines).to.deep.equal([]);
    expect(refused.errors.join('\n')).to.include(tampered).and.include('row 5').and.include('--no-verify');
    expect(unreadCode).to.equal(1);
    expect(unread.errors.join('\n')).to.include(`row 5 of event log ${tampered}`);
  });

  it('rejects a bad time', async () => {
    const { errors, output } = capture();
    const code = await replayCommand(PIPELINE, { log: file, from: 'yesterday' }, output, silentLogger());

    expect(code).to.equal(2);
    expect(errors[0]).to.include('invalid --from "yesterday"');
  });

  it('reports a missing log', async () => {
    const { errors, output } = capture();
    const code = await replayCommand(PIPELINE, { log: join(temp.folder, 'none.sqlite') }, output, silentLogger());

    expect(code).to.equal(1);
    expect(errors[0]).to.include('does not exist');
  });
});
