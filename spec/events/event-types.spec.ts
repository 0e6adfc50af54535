import { expect } from 'chai';
import { decodeEvent, decodeEventOf, EVENT_TYPES, isEventType } from '../../lib/events/index.js';
import { makeBar } from '../support/events.js';

describe('event codecs', () => {
  it('decodes the documented bar envelope', () => {
    const input = {
      id: 'csv:sp500:1',
      type: 'bar',
      time: 946857600000,
      ingestTime: 1733300000000,
      source: 'csv:sp500',
      correlationId: 'csv:sp500:1',
      instrument: 'SPX',
      data: { open: 1469.25, high: 1478, low: 1438.36, close: 1455.22, volume: 931800000, interval: 86400000 },
    };

    const result = decodeEventOf('bar', input);

    expect(result.ok).to.equal(true);
  });

  for (const [label, value] of [
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['1e400 parsed from JSON', JSON.parse('1e400') as number],
    ['an empty string', ''],
  ] as const) {
    it(`rejects ${label} as a price and names the field`, () => {
      const bar = makeBar(1);
      const input = { ...bar, data: { ...bar.data, close: value } };

      const result = decodeEventOf('bar', input);

      expect(result.ok).to.equal(false);
      if (!result.ok) {
        expect(result.issues).to.have.length(1);
        expect(result.issues[0].path).to.equal('data.close');
        expect(result.issues[0].expected).to.equal('FiniteNumber');
      }
    });
  }

  it('rejects a time that is not integer epoch milliseconds', () => {
    const result = decodeEventOf('bar', makeBar(1, { time: 1.5 }));

    expect(result.ok).to.equal(false);
    if (!result.ok) {
      expect(result.issues[0].path).to.equal('time');
      expect(result.issues[0].received).to.equal('1.5');
    }
  });

  it('reports every failing field, not only the first', () => {
    const bar = makeBar(1);
    const input = { ...bar, instrument: '', data: { ...bar.data, volume: -1, interval: 0 } };

    const result = decodeEventOf('bar', input);

    expect(result.ok).to.equal(false);
    if (!result.ok) {
      expect(result.issues.map((issue) => issue.path).sort()).to.deep.equal(['data.interval', 'data.volume', 'instrument']);
    }
  });

  it('keeps trade prices as decimal strings and rejects exponent forms', () => {
    const trade = {
      id: 'ws:binance:1',
      type: 'trade',
      time: 1570752011620,
      ingestTime: 1570752011620,
      source: 'ws:binance',
      correlationId: 'ws:binance:1',
      instrument: 'XRPETH',
      data: { price: '0.00141342', quantity: '23.00000000', tradeId: '13519807', side: 'sell' },
    };

    expect(decodeEventOf('trade', trade).ok).to.equal(true);
    expect(decodeEventOf('trade', { ...trade, data: { ...trade.data, price: '1e-3' } }).ok).to.equal(false);
    expect(decodeEventOf('trade', { ...trade, data: { ...trade.data, quantity: '' } }).ok).to.equal(false);
  });

  it('chooses the codec by the type field', () => {
    const result = decodeEvent({ ...makeBar(1), type: 'forecast' });

    expect(result.ok).to.equal(false);
    if (!result.ok) {
      expect(result.issues.map((issue) => issue.path)).to.include('data.volatility');
    }
  });

  it('rejects an unknown event type by name', () => {
    const result = decodeEvent({ ...makeBar(1), type: 'quote' });

    expect(result.ok).to.equal(false);
    if (!result.ok) {
      expect(result.issues).to.deep.equal([{ path: 'type', expected: 'an event type', received: '"quote"' }]);
    }
  });

  it('rejects a non-object input', () => {
    expect(decodeEvent('bar').ok).to.equal(false);
    expect(decodeEvent(null).ok).to.equal(false);
  });

  it('lists every documented event type', () => {
    expect(EVENT_TYPES).to.deep.equal(['bar', 'trade', 'forecast', 'signal', 'order', 'order.rejected', 'fill', 'report', 'deadletter']);
    expect(isEventType('order.rejected')).to.equal(true);
    expect(isEventType('toString')).to.equal(false);
  });

  it('strips unknown fields from the envelope', () => {
    const result = decodeEventOf('bar', { ...makeBar(1), extra: 1 });

    expect(result.ok).to.equal(true);
    if (result.ok) {
      expect(result.value).to.not.have.property('extra');
    }
  });
});
