import { expect } from 'chai';
import sinon from 'sinon';
import { InProcessBus } from '../../lib/bus/index.js';
import { BarHistory } from '../../lib/engine/bar-history.js';
import { startSummaryLog, summaryFigures } from '../../lib/engine/run-summary.js';
import { silentLogger } from '../../lib/observability/logger.js';
import { captureLogger } from '../support/capture-logger.js';
import { makeBar } from '../support/events.js';

describe('BarHistory', () => {
  it('keeps bars from the bus oldest first', () => {
    const bus = new InProcessBus(silentLogger());
    const history = new BarHistory(() => ['SPX']);
    history.attach(bus);

    for (let i = 0; i < 5; i++) bus.publish('bar', makeBar(i));

    expect(history.latest('SPX', 2).map((bar) => bar.id)).to.deep.equal(['test:3', 'test:4']);
    expect(history.latest('SPX', 10)).to.have.length(5);
  });

  it('ignores a bar at or before the last stored time', () => {
    const history = new BarHistory(() => []);

    history.add(makeBar(2));
    history.add(makeBar(1));
    history.add(makeBar(2, { id: 'again' }));

    expect(history.latest('SPX', 10).map((bar) => bar.id)).to.deep.equal(['test:2']);
  });

  it('selects bars by inclusive time range', () => {
    const history = new BarHistory(() => []);
    for (let i = 0; i < 5; i++) history.add(makeBar(i));
    const second = makeBar(1).time;
    const fourth = makeBar(3).time;

    expect(history.range('SPX', { from: second, to: fourth }).map((bar) => bar.id)).to.deep.equal(['test:1', 'test:2', 'test:3']);
    expect(history.range('SPX', {})).to.have.length(5);
    expect(history.range('GOOG', {})).to.deep.equal([]);
  });

  it('lists configured and seen instruments once each', () => {
    const history = new BarHistory(() => ['SPX', 'GOOG']);
    history.add(makeBar(1, { instrument: 'IBM' }));
    history.add(makeBar(1));

    expect(history.instruments()).to.deep.equal(['SPX', 'GOOG', 'IBM']);
  });

  it('drops the oldest bars beyond its bound', () => {
    const history = new BarHistory(() => [], 3);
    for (let i = 0; i < 5; i++) history.add(makeBar(i));

    expect(history.latest('SPX', 10).map((bar) => bar.id)).to.deep.equal(['test:2', 'test:3', 'test:4']);
  });
});

describe('summary log', () => {
  it('reads the figures from the bus counters', () => {
    const bus = new InProcessBus(silentLogger());
    bus.publish('bar', makeBar(1));

    const figures = summaryFigures(bus, () => 3);

    expect(figures.bars).to.equal(1);
    expect(figures.forecasts).to.equal(0);
    expect(figures.sessions).to.equal(3);
  });

  it('logs a line each interval with news until stopped', () => {
    const clock = sinon.useFakeTimers();
    const { logger, lines } = captureLogger();
    const bus = new InProcessBus(silentLogger());

    try {
      const stop = startSummaryLog(bus, () => 0, logger, 1000);
      bus.publish('bar', makeBar(1));
      clock.tick(1000);
      bus.publish('bar', makeBar(2));
      clock.tick(1000);
      clock.tick(1000);
      stop();
      bus.publish('bar', makeBar(3));
      clock.tick(3000);
    } finally {
      clock.restore();
    }

    const summaries = lines.filter((line) => line.msg === 'summary');
    expect(summaries.map((line) => line.bars)).to.deep.equal([1, 2]);
  });
});
