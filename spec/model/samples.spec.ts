import { expect } from 'chai';
import { buildSamples, encodeWindows, range, splitSamples } from '../../lib/model/samples.js';
import { fitNormalization, meanAndStd } from '../../lib/model/normalization.js';
import { garchDays } from './support/synthetic-days.js';

describe('samples', () => {
  it('buildSamples starts once the first window is complete', () => {
    const set = buildSamples(garchDays(60), { window: 10, horizon: 3, rollingWindow: 5 });

    expect(set.days[0]).to.equal(14);
    expect(set.days[set.days.length - 1]).to.equal(56);
    expect(set.targets).to.have.length(set.days.length);
  });

  it('splitSamples keeps time order and purges overlapping targets', () => {
    const split = splitSamples(100, 0.2, 0.15, 5);

    expect(split.heldOut).to.deep.equal([80, 100]);
    expect(split.validation[1]).to.equal(75);
    expect(split.validation[0]).to.equal(63);
    expect(split.fit).to.deep.equal([0, 58]);
  });

  it('encodeWindows writes normalized rows in window order', () => {
    const set = buildSamples(garchDays(40), { window: 4, horizon: 2, rollingWindow: 3 });
    const normalization = { featureMean: [0, 0, 0], featureStd: [1, 1, 1], targetMean: 0, targetStd: 1 };
    const buffer = encodeWindows(set, [0], 4, normalization);
    const lastRow = set.features.rows[set.days[0]]!;

    expect(buffer).to.have.length(12);
    expect(buffer[9]).to.be.closeTo(lastRow[0], 1e-6);
    expect(buffer[11]).to.be.closeTo(lastRow[2], 1e-6);
  });

  it('range counts from start to end', () => {
    expect(range(2, 5)).to.deep.equal([2, 3, 4]);
    expect(range(5, 2)).to.deep.equal([]);
  });
});

describe('normalization', () => {
  it('meanAndStd gives a unit deviation to constant columns', () => {
    expect(meanAndStd([3, 3, 3])).to.deep.equal({ mean: 3, std: 1 });
  });

  it('fitNormalization computes per-column statistics', () => {
    const normalization = fitNormalization([[1, 10], [3, 10]], [0, 2], 2);

    expect(normalization.featureMean).to.deep.equal([2, 10]);
    expect(normalization.featureStd).to.deep.equal([1, 1]);
    expect(normalization.targetMean).to.equal(1);
    expect(normalization.targetStd).to.equal(1);
  });
});
