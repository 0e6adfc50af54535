import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { instrumentsOfPipeline } from '../../lib/model/train-run.js';

describe('instrumentsOfPipeline', () => {
  let folder: string;

  before(async () => {
    folder = await mkdtemp(join(tmpdir(), 'tickflow-train-run-'));
  });

  after(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('reads ids and objects with ids', async () => {
    const file = join(folder, 'ok.yaml');
    await writeFile(file, 'instruments:\n  - SPX\n  - id: GOOG\n');

    expect(await instrumentsOfPipeline(file)).to.deep.equal(['SPX', 'GOOG']);
  });

  it('rejects a file without instruments', async () => {
    const file = join(folder, 'empty.yaml');
    await writeFile(file, 'stages: []\n');
    const error = await instrumentsOfPipeline(file).catch((caught: Error) => caught);

    expect((error as Error).message).to.equal(`${file} has no instruments list of ids to train`);
  });
});
