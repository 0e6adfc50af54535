import { expect } from 'chai';
import { dailyFromIntraday, DayAggregator, dayNumber, parseDayBoundary } from '../../lib/model/daily-series.js';
import { annualize, dailyFeatures, garmanKlassVariance, requiredObservations, targetVariance, VARIANCE_FLOOR } from '../../lib/model/features.js';

const DAY = 86_400_000;

describe('features', () => {
  describe('garmanKlassVariance', () => {
    it('computes the range variance of an OHLC bar', () => {
      const value = garmanKlassVariance({ time: 0, open: 100, high: 105, low: 95, close: 102 });
      const expected = 0.5 * Math.log(105 / 95) ** 2 - (2 * Math.LN2 - 1) * Math.log(102 / 100) ** 2;

      expect(value).to.be.closeTo(expected, 1e-15);
    });

    it('returns undefined for close-only bars', () => {
      expect(garmanKlassVariance({ time: 0, close: 100 })).to.equal(undefined);
    });

    it('returns undefined when high equals low', () => {
      expect(garmanKlassVariance({ time: 0, open: 10, high: 10, low: 10, close: 10 })).to.equal(undefined);
    });

    it('returns undefined when the open lies outside the range', () => {
      expect(garmanKlassVariance({ time: 0, open: 41.6, high: 13.61, low: 12.76, close: 12.83 })).to.equal(undefined);
    });
  });

  describe('dailyFeatures', () => {
    it('falls back to squared returns for close-only data', () => {
      const days = [100, 101, 99, 100, 102, 103].map((close, i) => ({ time: i * DAY, close }));
      const features = dailyFeatures(days, 2);
      const r = Math.log(99 / 101);

      expect(features.rows[0]).to.equal(undefined);
      expect(features.rows[1]).to.equal(undefined);
      expect(features.rows[2]![0]).to.be.closeTo(r, 1e-12);
      expect(features.rows[2]![1]).to.be.closeTo(Math.log(r * r), 1e-12);
      expect(features.dayVariance[2]).to.be.closeTo(r * r, 1e-15);
    });

    it('computes the rolling realized volatility', () => {
      const days = [100, 101, 99, 100].map((close, i) => ({ time: i * DAY, close }));
      const features = dailyFeatures(days, 2);
      const mean = (Math.log(99 / 101) ** 2 + Math.log(100 / 99) ** 2) / 2;

      expect(features.rows[3]![2]).to.be.closeTo(0.5 * Math.log(mean), 1e-12);
    });

    it('floors the logarithm of a zero return', () => {
      const days = [100, 100, 100].map((close, i) => ({ time: i * DAY, close }));
      const features = dailyFeatures(days, 1);

      expect(features.rows[1]![1]).to.equal(Math.log(VARIANCE_FLOOR));
    });

    it('uses intraday realized variance as the day variance', () => {
      const days = [
        { time: 0, close: 1, realizedVariance: 0.001 },
        { time: DAY, close: 1.01, realizedVariance: 0.0004 },
      ];

      expect(dailyFeatures(days, 1).dayVariance[1]).to.equal(0.0004);
    });
  });

  describe('targetVariance', () => {
    it('averages the days after t', () => {
      expect(targetVariance([0, 1e-4, 2e-4, 3e-4, 4e-4], 1, 2)).to.be.closeTo(2.5e-4, 1e-18);
    });

    it('returns undefined past the end', () => {
      expect(targetVariance([0, 1e-4, 2e-4], 1, 2)).to.equal(undefined);
    });
  });

  it('requiredObservations adds the rolling warm-up', () => {
    expect(requiredObservations({ window: 30, horizon: 5, rollingWindow: 10 })).to.equal(40);
  });

  it('annualize uses 252 days', () => {
    expect(annualize(1e-4)).to.be.closeTo(Math.sqrt(252) * 0.01, 1e-12);
  });
});

describe('daily series', () => {
  it('parseDayBoundary reads HH:MM', () => {
    expect(parseDayBoundary('00:00')).to.equal(0);
    expect(parseDayBoundary('22:30')).to.equal(1350);
  });

  it('parseDayBoundary rejects other text', () => {
    expect(() => parseDayBoundary('25:00')).to.throw(/invalid day boundary "25:00"/);
  });

  it('dayNumber shifts by the boundary', () => {
    const lateEvening = Date.UTC(2000, 0, 3, 23, 0);

    const nextNight = Date.UTC(2000, 0, 4, 1, 0);

    expect(dayNumber(lateEvening, 0)).to.not.equal(dayNumber(nextNight, 0));
    expect(dayNumber(lateEvening, 22 * 60)).to.equal(dayNumber(nextNight, 22 * 60));
  });

  it('dailyFromIntraday sums squared intraday returns per UTC day', () => {
    const prices = [
      { time: Date.UTC(2000, 0, 3, 22, 0), price: 1.0 },
      { time: Date.UTC(2000, 0, 3, 23, 30), price: 1.01 },
      { time: Date.UTC(2000, 0, 4, 0, 0), price: 1.02 },
      { time: Date.UTC(2000, 0, 4, 0, 30), price: 1.0 },
    ];
    const days = dailyFromIntraday(prices, 0);

    expect(days).to.have.length(2);
    expect(days[0].realizedVariance).to.be.closeTo(Math.log(1.01) ** 2, 1e-15);
    expect(days[1].realizedVariance).to.be.closeTo(Math.log(1.02 / 1.01) ** 2 + Math.log(1 / 1.02) ** 2, 1e-15);
    expect(days[1].close).to.equal(1.0);
    expect(days[1].high).to.equal(1.02);
    expect(days[1].time).to.equal(Date.UTC(2000, 0, 4));
  });

  it('dailyFromIntraday moves the boundary when set', () => {
    const prices = [
      { time: Date.UTC(2000, 0, 3, 21, 30), price: 1.0 },
      { time: Date.UTC(2000, 0, 3, 22, 0), price: 1.01 },
      { time: Date.UTC(2000, 0, 4, 1, 0), price: 1.02 },
    ];

    expect(dailyFromIntraday(prices, 0)).to.have.length(2);
    expect(dailyFromIntraday(prices, 22 * 60)).to.have.length(2);
    expect(dailyFromIntraday(prices, 22 * 60)[1].time).to.equal(Date.UTC(2000, 0, 3, 22));
  });

  it('DayAggregator closes a day on the next day first price', () => {
    const aggregator = new DayAggregator(0);

    expect(aggregator.push({ time: Date.UTC(2000, 0, 3, 10), price: 1 })).to.equal(undefined);
    expect(aggregator.push({ time: Date.UTC(2000, 0, 3, 12), price: 2 })).to.equal(undefined);
    expect(aggregator.push({ time: Date.UTC(2000, 0, 4, 10), price: 3 })?.close).to.equal(2);
  });

  it('DayAggregator flush returns undefined when empty', () => {
    expect(new DayAggregator(0).flush()).to.equal(undefined);
  });
});
