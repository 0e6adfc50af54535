import { expect } from 'chai';
import type { BarEvent } from '../../lib/events/index.js';
import type { ModelMeta } from '../../lib/model/model-meta.js';
import { RollingDays } from '../../lib/model/rolling-days.js';

const HOUR = 3_600_000;

function bar(time: number, close: number): BarEvent {
  return { id: `b:${time}`, type: 'bar', time, ingestTime: time, source: 'test', correlationId: `b:${time}`, instrument: 'FX', data: { open: close, high: close, low: close, close, volume: 0, interval: 1_800_000 } };
}

function metaOf(kind: 'daily' | 'intraday'): ModelMeta {
  return { window: 2, rollingWindow: 1, input: { kind, format: kind === 'daily' ? 'ohlcv' : 'intraday', dayBoundary: '22:00' } } as ModelMeta;
}

describe('RollingDays', () => {
  it('fills a daily window bar by bar', () => {
    const rolling = new RollingDays();
    const meta = metaOf('daily');

    expect(rolling.push(bar(0, 1), meta)).to.equal(undefined);
    expect(rolling.push(bar(24 * HOUR, 2), meta)).to.equal(undefined);
    expect(rolling.push(bar(48 * HOUR, 3), meta)).to.have.length(3);
    expect(rolling.push(bar(72 * HOUR, 4), meta)!.map((day) => day.close)).to.deep.equal([2, 3, 4]);
  });

  it('adds intraday days when the next day starts', () => {
    const rolling = new RollingDays();
    const meta = metaOf('intraday');
    const start = Date.UTC(2000, 0, 2, 22);
    const outputs = [0, 1, 24, 25, 48, 49, 72].map((hours, i) => rolling.push(bar(start + hours * HOUR, 1 + i / 100), meta));

    expect(outputs.slice(0, 6).filter((output) => output !== undefined)).to.have.length(0);
    expect(outputs[6]).to.have.length(3);
    expect(outputs[6]![2].realizedVariance).to.be.greaterThan(0);
    expect(outputs[6]![0].time).to.equal(start);
  });
});
