/** A point of the equity curve. */
export interface EquityPoint {
  readonly time: number;
  readonly equity: number;
}

const DAY = 86_400_000;
const TRADING_DAYS_PER_YEAR = 252;

/** Returns how many bars of a length make a year, counting 252 trading days of 24 hours. */
export function periodsPerYear(barIntervalMs: number): number {
  return (TRADING_DAYS_PER_YEAR * DAY) / barIntervalMs;
}

/** Returns the annualized Sharpe ratio of the curve's simple returns, with a risk-free rate of zero; 0 when undefined. */
export function sharpeRatio(curve: readonly EquityPoint[], periods: number): number {
  const returns: number[] = [];

  for (let i = 1; i < curve.length; i++) {
    if (curve[i - 1].equity !== 0) {
      returns.push(curve[i].equity / curve[i - 1].equity - 1);
    }
  }

  if (returns.length < 2) {
    return 0;
  }

  const mean = returns.reduce((sum, value) => sum + value, 0) / returns.length;
  const variance = returns.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (returns.length - 1);
  const deviation = Math.sqrt(variance);

  return deviation === 0 ? 0 : (mean / deviation) * Math.sqrt(periods);
}

/** Returns the largest fall from a peak of the curve, as a fraction of that peak (0.2 is 20%). */
export function maxDrawdown(curve: readonly EquityPoint[]): number {
  let peak = Number.NEGATIVE_INFINITY;
  let worst = 0;

  for (const point of curve) {
    peak = Math.max(peak, point.equity);

    if (peak > 0) {
      worst = Math.max(worst, (peak - point.equity) / peak);
    }
  }

  return worst;
}
