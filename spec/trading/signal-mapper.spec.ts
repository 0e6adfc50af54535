import { isRight } from 'fp-ts/lib/Either.js';
import { expect } from 'chai';
import { SignalMapper, SignalSettings } from '../../lib/trading/index.js';
import { forecastAt } from './support/trading-events.js';

const stamp = { source: 'pipeline:test/signal', now: () => 42 };

describe('SignalMapper', () => {
  describe('#signalFor', () => {
    it('targets volatility', () => {
      const mapper = new SignalMapper({ targetVolatility: 0.1, maxPosition: 2 }, stamp);
      const signal = mapper.signalFor(forecastAt(0, 0.2));

      expect(signal?.data.targetPosition).to.equal(0.5);
      expect(signal?.data.rule).to.equal('vol-target');
    });

    it('caps the position', () => {
      const mapper = new SignalMapper({ targetVolatility: 0.3, maxPosition: 1.5 }, stamp);

      expect(mapper.signalFor(forecastAt(0, 0.1))?.data.targetPosition).to.equal(1.5);
    });

    it('goes short when set', () => {
      const mapper = new SignalMapper({ targetVolatility: 0.1, direction: 'short' }, stamp);

      expect(mapper.signalFor(forecastAt(0, 0.2))?.data.targetPosition).to.equal(-0.5);
    });

    it('scales by regime', () => {
      const regimes = [
        { name: 'calm', below: 0.15, scale: 1 },
        { name: 'normal', below: 0.3, scale: 0.5 },
        { name: 'stressed', scale: 0 },
      ];
      const mapper = new SignalMapper({ targetVolatility: 0.1, maxPosition: 2, regimes }, stamp);
      const calm = mapper.signalFor(forecastAt(0, 0.1));
      const normal = mapper.signalFor(forecastAt(1, 0.2));
      const stressed = mapper.signalFor(forecastAt(2, 0.5));

      expect(calm?.data).to.include({ targetPosition: 1, regime: 'calm', rule: 'regime' });
      expect(normal?.data).to.include({ targetPosition: 0.25, regime: 'normal', previousPosition: 1 });
      expect(stressed?.data).to.include({ targetPosition: 0, regime: 'stressed' });
    });

    it('skips changes below the minimum', () => {
      const mapper = new SignalMapper({ targetVolatility: 0.1, minChange: 0.1 }, stamp);
      const first = mapper.signalFor(forecastAt(0, 0.2));
      const small = mapper.signalFor(forecastAt(1, 0.19));
      const large = mapper.signalFor(forecastAt(2, 0.15));

      expect(first?.data.targetPosition).to.equal(0.5);
      expect(small).to.equal(null);
      expect(large?.data).to.include({ previousPosition: 0.5 });
      expect(large?.data.targetPosition).to.be.closeTo(0.666667, 1e-6);
    });

    it('keeps the correlation id and price', () => {
      const mapper = new SignalMapper({ targetVolatility: 0.1 }, stamp);
      const forecast = forecastAt(3, 0.2, 1234.5);
      const signal = mapper.signalFor(forecast);

      expect(signal).to.include({ correlationId: forecast.correlationId, id: `${forecast.id}>signal`, time: forecast.time, ingestTime: 42, source: stamp.source });
      expect(signal?.data.price).to.equal(1234.5);
    });

    it('marks API forecasts informational', () => {
      const mapper = new SignalMapper({ targetVolatility: 0.1, minChange: 0.5 }, stamp);
      const signal = mapper.signalFor(forecastAt(0, 0.4, 100, { source: 'api' }));

      expect(signal?.data).to.include({ informational: true, targetPosition: 0.25 });
      expect(mapper.targetOf('SPX')).to.equal(0);
    });
  });
});

describe('SignalSettings', () => {
  it('accepts ordered regimes', () => {
    const settings = { targetVolatility: 0.1, regimes: [{ name: 'calm', below: 0.2, scale: 1 }, { name: 'rest', scale: 0 }] };

    expect(isRight(SignalSettings.decode(settings))).to.equal(true);
  });

  it('rejects unordered regimes', () => {
    const settings = { targetVolatility: 0.1, regimes: [{ name: 'a', below: 0.3, scale: 1 }, { name: 'b', below: 0.2, scale: 1 }, { name: 'c', scale: 0 }] };

    expect(isRight(SignalSettings.decode(settings))).to.equal(false);
  });

  it('rejects a last regime with a threshold', () => {
    const settings = { targetVolatility: 0.1, regimes: [{ name: 'a', below: 0.3, scale: 1 }] };

    expect(isRight(SignalSettings.decode(settings))).to.equal(false);
  });
});
