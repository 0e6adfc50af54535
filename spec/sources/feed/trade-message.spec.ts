import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../../lib/paths.js';
import { formatScaledDecimal, parseScaledDecimal, parseTradeMessage } from '../../../lib/sources/index.js';

const FORMATS = join(packageRoot(), '..', 'shared', 'data', 'formats');
const binance = JSON.parse(readFileSync(join(FORMATS, 'binance_spot_ws_samples.json'), 'utf8')) as Record<string, unknown>;
const coinbase = JSON.parse(readFileSync(join(FORMATS, 'coinbase_exchange_ws_samples.json'), 'utf8')) as Record<string, unknown>;

describe('parseTradeMessage', () => {
  it('reads a Binance trade', () => {
    expect(parseTradeMessage(JSON.stringify(binance.trade), 'auto')).to.deep.equal({ kind: 'trade', trade: { symbol: 'BNBBTC', tradeId: 12345, price: '0.001', quantity: '100', time: 1672515782136, side: 'sell' } });
  });

  it('reads a Binance aggTrade by its aggregate id', () => {
    const parsed = parseTradeMessage(JSON.stringify(binance.aggTrade), 'binance');

    expect(parsed.kind === 'trade' && parsed.trade.tradeId).to.equal(12345);
  });

  it('unwraps a combined stream', () => {
    expect(parseTradeMessage(JSON.stringify(binance.combined_stream_envelope_example), 'auto').kind).to.equal('trade');
  });

  it('reads a Coinbase match with the taker side', () => {
    expect(parseTradeMessage(JSON.stringify(coinbase.match), 'auto')).to.deep.equal({
      kind: 'trade',
      trade: { symbol: 'BTC-USD', tradeId: 10, price: '400.23', quantity: '5.23512', time: Date.UTC(2014, 10, 7, 8, 19, 27, 28), side: 'buy' },
    });
  });

  it('ignores heartbeats and klines', () => {
    expect(parseTradeMessage(JSON.stringify(coinbase.heartbeat), 'auto').kind).to.equal('ignored');
    expect(parseTradeMessage(JSON.stringify(binance.kline), 'auto').kind).to.equal('ignored');
    expect(parseTradeMessage(JSON.stringify(coinbase.match), 'binance').kind).to.equal('ignored');
  });

  it('rejects malformed matches', () => {
    const match = coinbase.match as Record<string, unknown>;

    expect(parseTradeMessage(JSON.stringify({ ...match, time: 'soon' }), 'auto')).to.deep.include({ kind: 'invalid' });
    expect(parseTradeMessage(JSON.stringify({ ...match, side: 'up' }), 'auto')).to.deep.include({ kind: 'invalid' });
    expect(parseTradeMessage('[1]', 'auto')).to.deep.include({ kind: 'invalid' });
  });
});

describe('parseScaledDecimal', () => {
  it('parses exactly and formats back', () => {
    expect(parseScaledDecimal('0.00141342', 8)).to.equal(141342n);
    expect(parseScaledDecimal('23.10000000000', 8)).to.equal(2_310_000_000n);
    expect(parseScaledDecimal('1.5', 0)).to.equal(undefined);
    expect(parseScaledDecimal('1e5', 8)).to.equal(undefined);
    expect(formatScaledDecimal(141342n, 8)).to.equal('0.00141342');
    expect(formatScaledDecimal(7n, 0)).to.equal('7');
  });
});
