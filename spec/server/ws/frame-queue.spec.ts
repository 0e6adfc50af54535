import { expect } from 'chai';
import { DropOldestQueue, KeepLatestQueue } from '../../../lib/server/ws/frame-queue.js';

const frame = (text: string): Buffer => Buffer.from(text);
const drain = (queue: { shift(): Buffer | undefined }): string[] => {
  const out: string[] = [];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) out.push(String(next));
  return out;
};

describe('DropOldestQueue', () => {
  it('keeps the newest frames within its bound', () => {
    const queue = new DropOldestQueue(3);
    const dropped = ['a', 'b', 'c', 'd', 'e'].map((text) => queue.push(frame(text)));

    expect(dropped).to.deep.equal([0, 0, 0, 1, 1]);
    expect(queue.full).to.equal(true);
    expect(drain(queue)).to.deep.equal(['c', 'd', 'e']);
    expect(queue.size).to.equal(0);
  });

  it('wraps around', () => {
    const queue = new DropOldestQueue(2);

    queue.push(frame('a'));
    queue.shift();
    queue.push(frame('b'));
    queue.push(frame('c'));

    expect(drain(queue)).to.deep.equal(['b', 'c']);
  });

  it('clears', () => {
    const queue = new DropOldestQueue(2);

    queue.push(frame('a'));
    queue.clear();

    expect(queue.size).to.equal(0);
    expect(queue.shift()).to.equal(undefined);
  });
});

describe('KeepLatestQueue', () => {
  it('replaces the queued frame of the same key', () => {
    const queue = new KeepLatestQueue(10);
    const dropped = [queue.push(frame('spx1'), 'SPX'), queue.push(frame('eur1'), 'EUR'), queue.push(frame('spx2'), 'SPX')];

    expect(dropped).to.deep.equal([0, 0, 1]);
    expect(drain(queue)).to.deep.equal(['eur1', 'spx2']);
  });

  it('drops the oldest key when full', () => {
    const queue = new KeepLatestQueue(2);

    queue.push(frame('a'), 'A');
    queue.push(frame('b'), 'B');

    expect(queue.push(frame('c'), 'C')).to.equal(1);
    expect(drain(queue)).to.deep.equal(['b', 'c']);
  });

  it('clears', () => {
    const queue = new KeepLatestQueue(2);

    queue.push(frame('a'), 'A');
    queue.clear();

    expect(queue.size).to.equal(0);
  });
});
