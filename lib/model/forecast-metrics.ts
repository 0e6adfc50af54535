import { annualize } from './features.js';

/** Held-out scores of one forecaster. */
export interface ForecastScore {
  readonly model: string;
  /** QLIKE loss on daily variance: mean of y/f - ln(y/f) - 1; 0 is perfect. */
  readonly qlike: number;
  /** Root mean squared error of annualized volatility, as a fraction. */
  readonly rmse: number;
}

/** Scores variance forecasts against realized variances. */
export function scoreForecasts(model: string, realized: readonly number[], forecasts: readonly number[]): ForecastScore {
  let qlike = 0;
  let squared = 0;

  realized.forEach((y, i) => {
    const ratio = y / forecasts[i];
    qlike += ratio - Math.log(ratio) - 1;
    squared += (annualize(y) - annualize(forecasts[i])) ** 2;
  });

  const count = Math.max(realized.length, 1);
  return { model, qlike: round(qlike / count), rmse: round(Math.sqrt(squared / count)) };
}

/** Renders scores as a Markdown table, best QLIKE first marked. */
export function formatScoreTable(scores: readonly ForecastScore[]): string {
  const best = Math.min(...scores.map((score) => score.qlike));
  const lines = ['| model | QLIKE | RMSE (annualized vol) |', '| --- | ---: | ---: |'];

  for (const score of scores) {
    const mark = score.qlike === best ? ' (best)' : '';
    lines.push(`| ${score.model}${mark} | ${score.qlike.toFixed(4)} | ${score.rmse.toFixed(4)} |`);
  }

  return lines.join('\n');
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
