import { expect } from 'chai';
import { join } from 'node:path';
import { from, Observable, Subject, throwError, VirtualTimeScheduler } from 'rxjs';
import { InProcessBus } from '../../lib/bus/index.js';
import type { AnyEvent, BarEvent } from '../../lib/events/index.js';
import { silentLogger } from '../../lib/observability/logger.js';
import { createMetricsRegistry } from '../../lib/observability/metrics.js';
import { packageRoot } from '../../lib/paths.js';
import { createPipeline, defineStageKind, parsePipeline, type PipelineDeps, type PipelineSpec } from '../../lib/pipeline/index.js';
import { Services } from '../../lib/services.js';
import { VirtualClock } from '../../lib/time/clock.js';
import { testRegistry } from './fixtures/test-registry.js';
import * as t from 'io-ts';
import { delay, map } from 'rxjs';

const DATA = join(packageRoot(), '..', 'shared', 'data');

function specOf(source: string, stages = '  - use: passthrough\n', instruments = '[VIX]'): PipelineSpec {
  const result = parsePipeline(`instruments: ${instruments}\nsource:\n${source}stages:\n${stages}`, join(DATA, 'test.yaml'), registry());

  if (!result.ok) {
    throw new Error(JSON.stringify(result.problems));
  }

  return result.spec;
}

const failingStage = defineStageKind({
  kind: 'failing',
  description: 'throws on the third bar',
  settings: t.strict({}),
  takes: ['bar'],
  emits: ['bar'],
  create: () => map((event: AnyEvent, index: number) => {
    if (index === 2) {
      throw new Error('stage broke on purpose');
    }

    return event;
  }),
});

const slowStage = defineStageKind({
  kind: 'slow',
  description: 'delays every event',
  settings: t.strict({}),
  takes: ['bar'],
  emits: ['bar'],
  create: () => delay(5),
});

function registry() {
  return testRegistry().register(failingStage).register(slowStage);
}

function depsOf(overrides: Partial<PipelineDeps> = {}): PipelineDeps & { bus: InProcessBus } {
  return { bus: new InProcessBus(silentLogger()), logger: silentLogger(), metrics: createMetricsRegistry(), clock: new VirtualClock(0), services: new Services(), registry: registry(), ...overrides } as PipelineDeps & { bus: InProcessBus };
}

function bar(time: number): BarEvent {
  return { id: `test:${time}`, type: 'bar', time, ingestTime: time, source: 'test', correlationId: `test:${time}`, instrument: 'VIX', data: { open: 1, high: 1, low: 1, close: 1, volume: 0, interval: 1 } };
}

const VIX_SOURCE = '  type: csv\n  file: vix_daily_1990-2026.datasets-finance-vix.csv\n';

describe('createPipeline', () => {
  it('runs a CSV file to the end with counts', async () => {
    const deps = depsOf();
    const published: AnyEvent[] = [];
    deps.bus.subscribe(['bar', 'deadletter'], 'test', (event) => published.push(event));
    const run = createPipeline(specOf(VIX_SOURCE), deps);

    run.start();
    const counts = await run.done();

    expect(counts.state).to.equal('completed');
    expect(counts.in).to.equal(9235 - 47);
    expect(counts.deadLettered).to.equal(47);
    expect(counts.out).to.equal(9235 - 47);
    expect(counts.byType).to.deep.equal({ bar: 9235 - 47, deadletter: 47 });
    expect(published.length).to.equal(9235);
  });

  it('keeps the VIX open-outside-range rows as dead letters', async () => {
    const deps = depsOf();
    const letters: AnyEvent[] = [];
    deps.bus.subscribe('deadletter', 'test', (event) => letters.push(event));
    const run = createPipeline(specOf(VIX_SOURCE), deps);

    run.start();
    await run.done();
    const row = letters.find((event) => event.type === 'deadletter' && event.data.raw.startsWith('2006-02-08'));

    expect(row?.data).to.include({ code: 'open-outside-range', field: 'open', raw: '2006-02-08,41.600000,13.610000,12.760000,12.830000' });
  });

  it('drains events in flight on stop', async () => {
    const source = new Subject<AnyEvent>();
    const run = createPipeline(specOf(VIX_SOURCE, '  - use: slow\n'), depsOf({ source }));

    run.start();
    source.next(bar(1));
    source.next(bar(2));
    const counts = await run.stop();

    expect(counts).to.include({ state: 'stopped', in: 2, out: 2 });
    source.next(bar(3));
    expect(run.counts().in).to.equal(2);
  });

  it('fails one pipeline and leaves the other running', async () => {
    const deps = depsOf();
    const broken = createPipeline(specOf(VIX_SOURCE, '  - use: failing\n'), deps);
    const healthy = createPipeline(specOf(VIX_SOURCE), deps);

    broken.start();
    healthy.start();
    const [failed, completed] = await Promise.all([broken.done(), healthy.done()]);

    expect(failed).to.include({ state: 'failed', error: 'stage broke on purpose' });
    expect(completed.state).to.equal('completed');
    expect(completed.in).to.equal(9235 - 47);
  });

  it('fails a run whose source errors', async () => {
    const run = createPipeline(specOf(VIX_SOURCE), depsOf({ source: throwError(() => new Error('feed gone')) }));

    run.start();
    expect(await run.done()).to.include({ state: 'failed', error: 'feed gone' });
  });

  it('fails a run whose file disappeared', async () => {
    const spec = { ...specOf(VIX_SOURCE), source: { type: 'csv' as const, file: 'missing.csv' } };
    const run = createPipeline(spec, depsOf());

    run.start();
    const counts = await run.done();

    expect(counts.state).to.equal('failed');
    expect(counts.error).to.contain('not found');
  });

  it('keeps events off the bus when outputs.bus is false', async () => {
    const deps = depsOf();
    const spec = { ...specOf(VIX_SOURCE), outputs: { bus: false, log: false } };
    const run = createPipeline(spec, deps);

    run.start();
    await run.done();
    expect(deps.bus.counters().bar.published).to.equal(0);
  });

  it('exports per-stage counts and latencies', async () => {
    const deps = depsOf();
    const run = createPipeline(specOf(VIX_SOURCE, '  - use: passthrough\n  - use: forecast-test\n'), deps);

    run.start();
    await run.done();
    const text = await deps.metrics.metrics();

    expect(text).to.contain('tickflow_stage_events_in_total{pipeline="test",stage="passthrough"} 9188');
    expect(text).to.contain('tickflow_stage_events_out_total{pipeline="test",stage="forecast-test",type="forecast"} 9188');
    expect(text).to.contain('tickflow_stage_latency_seconds_count{pipeline="test",stage="forecast-test"} 575');
  });

  it('paces replay on an injected scheduler', () => {
    const scheduler = new VirtualTimeScheduler();
    const deps = depsOf({ scheduler });
    const times: number[] = [];
    deps.bus.subscribe('bar', 'test', () => times.push(scheduler.now()));
    const spec = specOf('  type: synthetic\n  bars: 3\n  interval: 1h\n  speed: 3600\n', '  - use: passthrough\n');
    const run = createPipeline(spec, deps);

    run.start();
    scheduler.flush();

    // One hour of bars at 3600 times real time is one second apart.
    expect(times).to.deep.equal([0, 1000, 2000]);
  });

  it('publishes each event once through two passthrough stages', async () => {
    const deps = depsOf({ source: from([bar(1), bar(2), bar(3)]) });
    const published: string[] = [];
    deps.bus.subscribe('bar', 'test', (event) => published.push(event.id));
    const run = createPipeline(specOf(VIX_SOURCE, '  - use: passthrough\n  - name: again\n    use: passthrough\n'), deps);

    run.start();
    const counts = await run.done();

    expect(published).to.deep.equal(['test:1', 'test:2', 'test:3']);
    expect(counts.byType).to.deep.equal({ bar: 3 });
  });

  it('stops an idle run at once', async () => {
    const run = createPipeline(specOf(VIX_SOURCE), depsOf({ source: new Observable<AnyEvent>() }));

    expect((await run.stop()).state).to.equal('stopped');
  });
});
