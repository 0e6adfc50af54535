import { EventEmitter } from 'node:events';
import { Subject } from 'rxjs';
import { InProcessBus } from '../lib/bus/index.js';
import type { BarEvent } from '../lib/events/index.js';
import { silentLogger } from '../lib/observability/logger.js';
import { benchRow, type BenchModule, type BenchRow } from './support/bench-row.js';
import { bestRate } from './support/measure.js';

const EVENTS = 1_000_000;
const ROUNDS = 5;

function makeBar(i: number): BarEvent {
  return {
    id: `bench:${i}`,
    type: 'bar',
    time: i,
    ingestTime: i,
    source: 'bench',
    correlationId: `bench:${i}`,
    instrument: 'SPX',
    data: { open: 1, high: 2, low: 0.5, close: 1.5, volume: 10, interval: 60_000 },
  };
}

function measure(subscribers: number, bars: readonly BarEvent[]): BenchRow[] {
  let sink = 0;
  const consume = (event: BarEvent): void => {
    sink += event.time;
  };

  const subject = new Subject<BarEvent>();
  for (let i = 0; i < subscribers; i++) subject.subscribe(consume);
  const subjectRate = bestRate(EVENTS, ROUNDS, () => {
    for (const bar of bars) subject.next(bar);
  });

  const emitter = new EventEmitter();
  for (let i = 0; i < subscribers; i++) emitter.on('bar', consume);
  const emitterRate = bestRate(EVENTS, ROUNDS, () => {
    for (const bar of bars) emitter.emit('bar', bar);
  });

  const bus = new InProcessBus(silentLogger());
  for (let i = 0; i < subscribers; i++) bus.subscribe('bar', `bench-${i}`, consume);
  const busRate = bestRate(EVENTS, ROUNDS, () => {
    for (const bar of bars) bus.publish('bar', bar);
  });

  const streamBus = new InProcessBus(silentLogger());
  for (let i = 0; i < subscribers; i++) streamBus.stream('bar').subscribe(consume);
  const streamRate = bestRate(EVENTS, ROUNDS, () => {
    for (const bar of bars) streamBus.publish('bar', bar);
  });

  if (sink === -1) throw new Error('unreachable: keeps the consumer from being optimized away');

  const suffix = `${subscribers} subscriber${subscribers === 1 ? '' : 's'}`;
  return [
    benchRow(`bus.publish subscribe() ${suffix}`, busRate, 'events/s', 'higher', { name: 'rxjs Subject', value: subjectRate }),
    benchRow(`bus.publish stream() ${suffix}`, streamRate, 'events/s', 'higher', { name: 'rxjs Subject', value: subjectRate }),
    benchRow(`bus.publish vs EventEmitter ${suffix}`, busRate, 'events/s', 'higher', { name: 'node EventEmitter', value: emitterRate }),
  ];
}

const bench: BenchModule = {
  title: 'Event bus: publish to subscribers',
  async run() {
    const bars = Array.from({ length: EVENTS }, (_, i) => makeBar(i));
    return [...measure(1, bars), ...measure(4, bars)];
  },
};

export default bench;
