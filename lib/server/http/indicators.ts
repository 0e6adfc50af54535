import { ATR, BollingerBands, EMA, MACD, RSI, SMA } from 'trading-signals';
import { HttpError } from './http-error.js';
import type { OhlcBar } from './resample-bars.js';

/** One indicator value: a number, or named lines for MACD and Bollinger bands; null while warming up. */
export type IndicatorValue = number | Readonly<Record<string, number>> | null;

/** An indicator fed one bar at a time. */
interface IndicatorRun {
  add(bar: OhlcBar): IndicatorValue;
}

interface IndicatorKind {
  /** Default value of each parameter, in the order they follow the name (`macd:12:26:9`). */
  readonly defaults: readonly number[];
  /** Returns what the parameters must satisfy when they do not, or undefined when they do. */
  check?(parameters: readonly number[]): string | undefined;
  create(parameters: readonly number[]): IndicatorRun;
}

const MAX_PARAMETER = 1000;

function closeSeries(indicator: { add(close: number): unknown; isStable: boolean; getResult(): unknown }): IndicatorRun {
  return {
    add(bar) {
      indicator.add(bar.close);
      return indicator.isStable ? (indicator.getResult() as IndicatorValue) : null;
    },
  };
}

/** A Map, so a name such as "constructor" or "__proto__" finds nothing instead of an Object.prototype member. */
const KINDS: ReadonlyMap<string, IndicatorKind> = new Map<string, IndicatorKind>([
  ['sma', { defaults: [20], create: ([period]) => closeSeries(new SMA(period)) }],
  ['ema', { defaults: [20], create: ([period]) => closeSeries(new EMA(period)) }],
  ['rsi', { defaults: [14], create: ([period]) => closeSeries(new RSI(period)) }],
  [
    'macd',
    {
      defaults: [12, 26, 9],
      check: ([short, long]) => (short < long ? undefined : `a short period below the long one (macd:short:long:signal, such as macd:12:26:9)`),
      create: ([short, long, signal]) => closeSeries(new MACD(new EMA(short), new EMA(long), new EMA(signal))),
    },
  ],
  ['bbands', { defaults: [20, 2], create: ([period, deviation]) => closeSeries(new BollingerBands(period, deviation)) }],
  [
    'atr',
    {
      defaults: [14],
      create: ([period]) => {
        const atr = new ATR(period);

        return {
          add(bar) {
            atr.add({ high: bar.high, low: bar.low, close: bar.close });
            return atr.isStable ? atr.getResult() : null;
          },
        };
      },
    },
  ],
]);

/** A parsed indicator request such as `sma:20`. */
export interface IndicatorSpec {
  /** The name as requested, used as the key of the result. */
  readonly label: string;
  readonly kind: string;
  readonly parameters: readonly number[];
}

/** Parses `sma:20,ema:50,rsi:14,macd,bbands:20,atr:14`; unknown names and bad periods are rejected. */
export function parseIndicators(text: string): IndicatorSpec[] {
  const labels = text.split(',').map((label) => label.trim()).filter((label) => label.length > 0);

  if (labels.length === 0) {
    throw invalidIndicator(text, 'a list such as sma:20,rsi:14');
  }

  return labels.map(parseIndicator);
}

function parseIndicator(label: string): IndicatorSpec {
  const [name, ...rest] = label.split(':');
  const kind = KINDS.get(name.toLowerCase());

  if (kind === undefined) {
    throw invalidIndicator(label, `one of ${[...KINDS.keys()].join(', ')}`);
  }

  if (rest.length > kind.defaults.length) {
    throw invalidIndicator(label, `at most ${kind.defaults.length} parameter(s) after ${name}`);
  }

  const parameters = kind.defaults.map((fallback, i) => (i < rest.length ? parseParameter(label, rest[i]) : fallback));
  const problem = kind.check?.(parameters);

  if (problem !== undefined) {
    throw invalidIndicator(label, problem);
  }

  return { label, kind: name.toLowerCase(), parameters };
}

function parseParameter(label: string, text: string): number {
  const value = /^\d+(\.\d+)?$/.test(text) ? Number(text) : NaN;

  if (!(value > 0 && value <= MAX_PARAMETER)) {
    throw invalidIndicator(label, `parameters above 0 and at most ${MAX_PARAMETER}`);
  }

  return value;
}

/** Computes each indicator over the bars; every series is as long as the bars, null while warming up. */
export function computeIndicators(specs: readonly IndicatorSpec[], bars: readonly OhlcBar[]): Record<string, IndicatorValue[]> {
  const result: Record<string, IndicatorValue[]> = {};

  for (const spec of specs) {
    const run = createRun(spec);

    result[spec.label] = bars.map((bar) => run.add(bar));
  }

  return result;
}

function createRun(spec: IndicatorSpec): IndicatorRun {
  const kind = KINDS.get(spec.kind);

  if (kind === undefined) {
    throw invalidIndicator(spec.label, `one of ${[...KINDS.keys()].join(', ')}`);
  }

  try {
    return kind.create(spec.parameters);
  } catch (error) {
    throw invalidIndicator(spec.label, `parameters the indicator accepts (${(error as Error).message})`);
  }
}

function invalidIndicator(received: string, expected: string): HttpError {
  return new HttpError('invalid-request', `invalid indicator ${JSON.stringify(received)}: expected ${expected}`, {
    issues: [{ path: 'indicators', expected, received: JSON.stringify(received) }],
  });
}
