import { expect } from 'chai';
import { ewmaForecasts, fitHar, harForecast, rollingForecast, solveLinear, trailingMean } from '../../lib/model/baselines.js';
import { formatScoreTable, scoreForecasts } from '../../lib/model/forecast-metrics.js';
import { VARIANCE_FLOOR } from '../../lib/model/features.js';
import { seededRandom } from '../../lib/model/seeded-random.js';

describe('baselines', () => {
  it('ewmaForecasts follows the RiskMetrics recursion', () => {
    const variance = [0, 1e-4, 4e-4, 1e-4];
    const forecasts = ewmaForecasts(variance, 0.94, 2);
    const seed = (1e-4 + 4e-4) / 2;
    const afterOne = 0.94 * seed + 0.06 * 1e-4;

    expect(forecasts[0]).to.be.closeTo(seed, 1e-18);
    expect(forecasts[1]).to.be.closeTo(afterOne, 1e-18);
    expect(forecasts[2]).to.be.closeTo(0.94 * afterOne + 0.06 * 4e-4, 1e-18);
  });

  it('trailingMean averages the last days', () => {
    expect(trailingMean([0, 1, 2, 3, 4], 4, 2)).to.equal(3.5);
    expect(trailingMean([0, 1, 2, 3, 4], 1, 3)).to.equal(1);
  });

  it('rollingForecast is floored', () => {
    expect(rollingForecast([0, 0, 0], 2, 2)).to.equal(VARIANCE_FLOOR);
  });

  it('solveLinear solves a small system', () => {
    const solution = solveLinear([[2, 1], [1, 3]], [3, 5]);

    expect(solution[0]).to.be.closeTo(0.8, 1e-12);
    expect(solution[1]).to.be.closeTo(1.4, 1e-12);
  });

  it('solveLinear gives 0 for a singular column', () => {
    expect(solveLinear([[1, 0], [0, 0]], [2, 0])).to.deep.equal([2, 0]);
  });

  it('fitHar recovers known coefficients', () => {
    const random = seededRandom(3);
    const variance = [0, ...Array.from({ length: 400 }, () => 1e-4 * (0.5 + random()))];
    const truth = [1e-5, 0.3, 0.2, 0.1];
    const days = Array.from({ length: 370 }, (_, i) => i + 25);
    const targets = days.map((t) => truth[0] + truth[1] * variance[t] + truth[2] * trailingMean(variance, t, 5) + truth[3] * trailingMean(variance, t, 22));
    const coefficients = fitHar(variance, days, targets);

    coefficients.forEach((value, i) => expect(value).to.be.closeTo(truth[i], 1e-8));
    expect(harForecast(coefficients, variance, 100)).to.be.closeTo(targets[75], 1e-12);
  });
});

describe('forecast metrics', () => {
  it('scoreForecasts gives zero for perfect forecasts', () => {
    const score = scoreForecasts('perfect', [1e-4, 2e-4], [1e-4, 2e-4]);

    expect(score.qlike).to.equal(0);
    expect(score.rmse).to.equal(0);
  });

  it('scoreForecasts penalizes under-forecasts more in QLIKE', () => {
    const under = scoreForecasts('under', [2e-4], [1e-4]);
    const over = scoreForecasts('over', [1e-4], [2e-4]);

    expect(under.qlike).to.be.greaterThan(over.qlike);
  });

  it('formatScoreTable marks the lowest QLIKE', () => {
    const table = formatScoreTable([
      { model: 'lstm', qlike: 0.5, rmse: 0.1 },
      { model: 'ewma', qlike: 0.4, rmse: 0.2 },
    ]);

    expect(table).to.contain('| ewma (best) | 0.4000 | 0.2000 |');
    expect(table).to.contain('| lstm | 0.5000 | 0.1000 |');
  });
});
