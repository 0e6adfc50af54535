import { expect } from 'chai';
import { NEVER, Subject, VirtualTimeScheduler, type Observable } from 'rxjs';
import type { AnyEvent } from '../../../lib/events/index.js';
import { createDateParser, Duration, findPackageFolder, isTimeZone, offsetAt, pacedReplay, parseDuration, resolveSourceFile, splitCsvLine, zonedTimeToUtc } from '../../../lib/sources/index.js';

describe('createDateParser', () => {
  it('reads ISO dates, times and offsets', () => {
    const parse = createDateParser('auto', 'UTC');

    expect(parse('2000-01-03')).to.equal(946857600000);
    expect(parse('2000-01-03 09:30')).to.equal(946857600000 + 34_200_000);
    expect(parse('2000-01-03T09:30:00.5Z')).to.equal(946857600000 + 34_200_500);
    expect(parse('2000-01-03T09:30:00+01:00')).to.equal(946857600000 + 30_600_000);
    expect(parse('2000-01-03T09:30:00-0130')).to.equal(946857600000 + 39_600_000);
  });

  it('rejects impossible dates', () => {
    const parse = createDateParser('auto', 'UTC');

    for (const text of ['2001-02-29', '2000-13-01', '2000-01-01 24:00', 'yesterday', '']) {
      expect(parse(text), text).to.equal(undefined);
    }

    expect(parse('2000-02-29')).to.not.equal(undefined);
  });

  it('reads patterns in a zone', () => {
    const parse = createDateParser('yyyyMMddHHmm', 'Europe/Zurich');

    expect(parse('199706011928')).to.equal(Date.UTC(1997, 5, 1, 17, 28));
    expect(parse('19970601192')).to.equal(undefined);
    expect(createDateParser('dd.MM.yyyy', 'UTC')('03.01.2000')).to.equal(946857600000);
  });

  it('follows daylight saving time', () => {
    expect(zonedTimeToUtc({ year: 2000, month: 7, day: 1, hour: 12, minute: 0, second: 0, millisecond: 0 }, 'America/New_York')).to.equal(Date.UTC(2000, 6, 1, 16));
    expect(zonedTimeToUtc({ year: 2000, month: 1, day: 1, hour: 12, minute: 0, second: 0, millisecond: 0 }, 'America/New_York')).to.equal(Date.UTC(2000, 0, 1, 17));
    expect(offsetAt(Date.UTC(2000, 0, 1), 'Asia/Kolkata')).to.equal(19_800_000);
    expect(isTimeZone('Mars/Olympus')).to.equal(false);
  });
});

describe('parseDuration', () => {
  it('reads units into milliseconds', () => {
    expect(parseDuration('250ms')).to.equal(250);
    expect(parseDuration('30m')).to.equal(1_800_000);
    expect(parseDuration('1d')).to.equal(86_400_000);
    expect(parseDuration('0s')).to.equal(undefined);
    expect(parseDuration('soon')).to.equal(undefined);
    expect(Duration.is(5)).to.equal(true);
    expect(Duration.decode(1000)).to.deep.equal({ _tag: 'Right', right: 1000 });
  });
});

describe('splitCsvLine', () => {
  it('handles quoted fields', () => {
    expect(splitCsvLine('a,"b,c","d ""e"""')).to.deep.equal(['a', 'b,c', 'd "e"']);
    expect(splitCsvLine('a;b', ';')).to.deep.equal(['a', 'b']);
  });
});

describe('resolveSourceFile', () => {
  it('finds package files and relative paths', () => {
    expect(resolveSourceFile('vega-datasets:data/sp500-2000.csv', '/tmp')).to.match(/node_modules\/vega-datasets\/data\/sp500-2000\.csv$/);
    expect(resolveSourceFile('data/x.csv', '/tmp')).to.equal('/tmp/data/x.csv');
    expect(resolveSourceFile('no-such-package-here:x.csv', '/tmp')).to.equal(undefined);
    expect(findPackageFolder('no-such-package-here')).to.equal(undefined);
  });
});

describe('pacedReplay', () => {
  function cursorOf(times: number[]): () => { read(): AnyEvent | undefined; finish(): AnyEvent[] } {
    return () => {
      const queue = times.map((time) => ({ id: `t:${time}`, type: 'bar', time, ingestTime: 0, source: 't', correlationId: `t:${time}`, instrument: 'X', data: { open: 1, high: 1, low: 1, close: 1, volume: 0, interval: 1 } }) as AnyEvent);
      return { read: () => queue.shift(), finish: () => [] };
    };
  }

  function collect(stream: Observable<AnyEvent>, scheduler: VirtualTimeScheduler): number[] {
    const seen: number[] = [];
    stream.subscribe((event) => seen.push(event.time));
    scheduler.flush();
    return seen;
  }

  it('ends a long wait at once on stop', () => {
    const scheduler = new VirtualTimeScheduler();
    const stop = new Subject<void>();
    const seen: number[] = [];
    let completedAt = -1;

    pacedReplay(cursorOf([0, 1_000_000]), stop, { speed: 1, scheduler }).subscribe({ next: (event) => seen.push(event.time), complete: () => (completedAt = scheduler.now()) });
    scheduler.schedule(() => stop.next(), 10);
    scheduler.maxFrames = 20;
    scheduler.flush();

    expect(completedAt).to.equal(10);
    expect(seen).to.deep.equal([0, 1_000_000]);
  });

  it('yields between chunks at max speed', () => {
    const scheduler = new VirtualTimeScheduler();

    expect(collect(pacedReplay(cursorOf([1, 2, 3, 4, 5]), NEVER, { speed: 'max', scheduler, chunkSize: 2 }), scheduler)).to.deep.equal([1, 2, 3, 4, 5]);
  });
});
