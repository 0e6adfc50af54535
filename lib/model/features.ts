import type { DailyObservation } from './daily-series.js';

/** The inputs of every model, in column order. */
export const FEATURE_NAMES = ['logReturn', 'logRangeVariance', 'logRealizedVolatility'] as const;

/** Days per year used to annualize a daily variance: volatility = sqrt(252 * daily variance). */
export const PERIODS_PER_YEAR = 252;

/**
 * Smallest daily variance the model works with. Close-only files repeat prices (a zero return),
 * and the logarithm of zero has no value; 1e-8 is a daily volatility of 0.01%.
 */
export const VARIANCE_FLOOR = 1e-8;

/** Lengths that shape the inputs and the target. */
export interface FeatureSettings {
  /** Feature rows per input window. */
  readonly window: number;
  /** Days ahead the target variance covers. */
  readonly horizon: number;
  /** Days in the rolling realized volatility feature. */
  readonly rollingWindow: number;
}

/** Per-day values derived from the observations; index 0 has no return and no features. */
export interface DailyFeatures {
  /** Feature rows, FEATURE_NAMES.length numbers each; undefined until the rolling window has filled. */
  readonly rows: (readonly number[] | undefined)[];
  /** Daily variance proxy: intraday realized variance where known, else the squared log return. */
  readonly dayVariance: number[];
  readonly logReturns: number[];
}

/** Returns how many observations one input window needs: the window plus the warm-up of the rolling feature. */
export function requiredObservations(settings: FeatureSettings): number {
  return settings.window + settings.rollingWindow;
}

/**
 * Garman-Klass variance of one bar, or undefined when the bar has no usable range (close-only
 * data, or O=H=L=C rows, or an open outside the high-low range as in some real files).
 */
export function garmanKlassVariance(observation: DailyObservation): number | undefined {
  const { open, high, low, close } = observation;

  if (open === undefined || high === undefined || low === undefined) {
    return undefined;
  }

  if (!(high > low) || open > high || open < low || close > high || close < low || low <= 0) {
    return undefined;
  }

  const range = Math.log(high / low);
  const body = Math.log(close / open);

  return 0.5 * range * range - (2 * Math.LN2 - 1) * body * body;
}

/** Computes the feature rows and the daily variance proxy of a series. */
export function dailyFeatures(observations: readonly DailyObservation[], rollingWindow: number): DailyFeatures {
  const rows: (readonly number[] | undefined)[] = [undefined];
  const dayVariance = [0];
  const logReturns = [0];
  let rollingSum = 0;

  for (let t = 1; t < observations.length; t++) {
    const logReturn = Math.log(observations[t].close / observations[t - 1].close);
    const variance = observations[t].realizedVariance ?? logReturn * logReturn;
    const range = garmanKlassVariance(observations[t]) ?? logReturn * logReturn;

    logReturns.push(logReturn);
    dayVariance.push(variance);
    rollingSum += variance - (t > rollingWindow ? dayVariance[t - rollingWindow] : 0);

    rows.push(t < rollingWindow ? undefined : [logReturn, floorLog(range), 0.5 * floorLog(rollingSum / rollingWindow)]);
  }

  return { rows, dayVariance, logReturns };
}

/** Mean daily variance over the `horizon` days after day t, floored; undefined past the end of the series. */
export function targetVariance(dayVariance: readonly number[], t: number, horizon: number): number | undefined {
  if (t + horizon >= dayVariance.length) {
    return undefined;
  }

  let sum = 0;

  for (let k = 1; k <= horizon; k++) {
    sum += dayVariance[t + k];
  }

  return Math.max(sum / horizon, VARIANCE_FLOOR);
}

/** Annualized volatility of a daily variance. */
export function annualize(dailyVariance: number): number {
  return Math.sqrt(PERIODS_PER_YEAR * dailyVariance);
}

function floorLog(variance: number): number {
  return Math.log(Math.max(variance, VARIANCE_FLOOR));
}
