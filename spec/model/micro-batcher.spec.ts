import { expect } from 'chai';
import sinon from 'sinon';
import { MicroBatcher } from '../../lib/model/micro-batcher.js';

function doublingBatcher(maxSize: number, calls: number[][]): MicroBatcher<number, number> {
  return new MicroBatcher(async (items) => {
    calls.push([...items]);
    return items.map((item) => item * 2);
  }, maxSize);
}

describe('MicroBatcher', () => {
  afterEach(() => sinon.restore());

  it('stacks requests of one turn into one call', async () => {
    const calls: number[][] = [];
    const batcher = doublingBatcher(64, calls);
    const results = await Promise.all([1, 2, 3].map((item) => batcher.submit(item)));

    expect(calls).to.deep.equal([[1, 2, 3]]);
    expect(results.map((result) => result.value)).to.deep.equal([2, 4, 6]);
    expect(results[0].batchSize).to.equal(3);
  });

  it('splits at the maximum size and keeps order', async () => {
    const calls: number[][] = [];
    const batcher = doublingBatcher(2, calls);
    const results = await Promise.all([1, 2, 3, 4, 5].map((item) => batcher.submit(item)));

    expect(calls).to.deep.equal([[1, 2], [3, 4], [5]]);
    expect(results.map((result) => result.value)).to.deep.equal([2, 4, 6, 8, 10]);
  });

  it('resolves in submission order', async () => {
    const batcher = doublingBatcher(3, []);
    const order: number[] = [];

    await Promise.all([1, 2, 3, 4, 5, 6, 7].map((item) => batcher.submit(item).then(() => order.push(item))));

    expect(order).to.deep.equal([1, 2, 3, 4, 5, 6, 7]);
  });

  it('runs a lone request without any timer', async () => {
    const clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'setInterval', 'Date'] });
    const batcher = doublingBatcher(64, []);
    const result = await batcher.submit(21);

    expect(result.value).to.equal(42);
    expect(clock.countTimers()).to.equal(0);
  });

  it('collects requests that arrive while a batch runs', async () => {
    const calls: number[][] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const batcher = new MicroBatcher<number, number>(async (items) => {
      calls.push([...items]);
      if (calls.length === 1) await gate;
      return [...items];
    }, 64);

    const first = batcher.submit(1);
    await new Promise((resolve) => setImmediate(resolve));
    const later = [2, 3].map((item) => batcher.submit(item));
    expect(batcher.pending).to.equal(2);
    release();
    await Promise.all([first, ...later]);

    expect(calls).to.deep.equal([[1], [2, 3]]);
  });

  it('rejects every request of a failed batch', async () => {
    const batcher = new MicroBatcher<number, number>(async () => {
      throw new Error('backend lost');
    }, 8);
    const results = await Promise.allSettled([1, 2].map((item) => batcher.submit(item)));

    expect(results.map((result) => result.status)).to.deep.equal(['rejected', 'rejected']);
  });

  it('reports queue and inference time', async () => {
    const result = await doublingBatcher(4, []).submit(1);

    expect(result.queueMs).to.be.at.least(0);
    expect(result.inferenceMs).to.be.at.least(0);
  });
});
