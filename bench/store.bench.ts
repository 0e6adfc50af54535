import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { TradeEvent } from '../lib/events/index.js';
import { silentLogger } from '../lib/observability/logger.js';
import { EventLogWriter, SqliteEventLog, toLogRow } from '../lib/store/index.js';
import { benchRow, type BenchModule } from './support/bench-row.js';

const BATCHED_EVENTS = 200_000;
const SINGLE_EVENTS = 2_000;
/** Rounds of each measurement. The median is reported, so one round slowed by other work on the machine does not decide the figure. */
const ROUNDS = 3;

function makeTrade(i: number): TradeEvent {
  const id = `bench:${i}`;
  return {
    id,
    type: 'trade',
    time: 1_570_752_011_620 + i,
    ingestTime: 1_570_752_011_620 + i,
    source: 'bench',
    correlationId: id,
    instrument: 'XRPETH',
    data: { price: '0.00141342', quantity: '23.00000000', tradeId: String(i), side: 'buy' },
  };
}

/** Measures one row per transaction, on the same writer, settings and hash chain as the event log uses. */
function singleRowRate(folder: string, round: number): number {
  const writer = new EventLogWriter({ file: join(folder, `single-${round}.sqlite`), busyTimeoutMs: 1000 });
  const rows = Array.from({ length: SINGLE_EVENTS }, (_, i) => toLogRow(makeTrade(i)));
  const start = performance.now();

  for (const row of rows) writer.writeBatch([row]);

  const seconds = (performance.now() - start) / 1000;
  writer.close();
  return SINGLE_EVENTS / seconds;
}

/** Measures the event log as the engine uses it: appends through the writer worker, timed until every commit. */
async function batchedRate(folder: string, round: number): Promise<number> {
  const log = await SqliteEventLog.open({ file: join(folder, `batched-${round}.sqlite`) }, silentLogger());
  const events = Array.from({ length: BATCHED_EVENTS }, (_, i) => makeTrade(i));
  const start = performance.now();

  await Promise.all(Array.from({ length: BATCHED_EVENTS / 1000 }, (_, chunk) => log.append(events.slice(chunk * 1000, (chunk + 1) * 1000))));

  const seconds = (performance.now() - start) / 1000;
  await log.close();
  return BATCHED_EVENTS / seconds;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const bench: BenchModule = {
  title: 'Event log: inserts with synchronous=FULL and the hash chain',
  async run(log) {
    const folder = mkdtempSync(join(tmpdir(), 'tickflow-bench-store-'));

    try {
      log(`writing ${SINGLE_EVENTS.toLocaleString('en-US')} events one per transaction, then ${BATCHED_EVENTS.toLocaleString('en-US')} batched through the worker, ${ROUNDS} rounds, median reported`);
      const singles: number[] = [];
      const batches: number[] = [];

      for (let round = 1; round <= ROUNDS; round++) {
        singles.push(singleRowRate(folder, round));
        batches.push(await batchedRate(folder, round));
        // Each round's files go before the next, so later rounds do not pay for a fuller disk cache.
        rmSync(folder, { recursive: true, force: true });
        mkdirSync(folder);
        log(`round ${round}: batched ${Math.round(batches[round - 1])} events/s, one row per transaction ${Math.round(singles[round - 1])} events/s`);
      }

      const single = median(singles);
      const batched = median(batches);

      return [benchRow('event log append, batched (worker), median of 3', batched, 'events/s', 'higher', { name: 'one row per transaction', value: single })];
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  },
};

export default bench;
