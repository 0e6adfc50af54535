import { expect } from 'chai';
import { isRight } from 'fp-ts/lib/Either.js';
import { DeadLetterData } from '../../lib/events/index.js';
import { deadLetterEvent, MAX_RAW_CHARS } from '../../lib/sources/dead-letter.js';

function letterOf(raw: string) {
  return deadLetterEvent({ source: 'test', offset: 1, time: 0, ingestTime: 0, instrument: 'X', raw, location: 'test 1', rejection: { code: 'bad', reason: 'bad record' } });
}

describe('deadLetterEvent', () => {
  it('keeps a short record whole', () => {
    const letter = letterOf('a,b,c');

    expect(letter.data).to.deep.equal({ raw: 'a,b,c', reason: 'bad record', code: 'bad', location: 'test 1' });
  });

  it('keeps the start of a long record with its length', () => {
    const letter = letterOf('x'.repeat(20_000));

    expect(letter.data.raw).to.have.length(MAX_RAW_CHARS);
    expect(letter.data.rawLength).to.equal(20_000);
    expect(letter.data.reason).to.contain(`first ${MAX_RAW_CHARS} of 20000 characters`);
    expect(isRight(DeadLetterData.decode(letter.data))).to.equal(true);
  });

  it('does not split a surrogate pair at the cut', () => {
    const letter = letterOf(`${'x'.repeat(MAX_RAW_CHARS - 1)}😀tail`);

    expect(letter.data.raw).to.equal('x'.repeat(MAX_RAW_CHARS - 1));
  });
});
