import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TickflowError } from '../../lib/errors.js';
import { instrumentsOfPipeline, runTraining, type TrainRequest } from '../../lib/model/train-run.js';
import { DEFAULT_TRAINING_OPTIONS } from '../../lib/model/train-model.js';
import { silentLogger } from '../../lib/observability/logger.js';

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

describe('runTraining checks', () => {
  let folder: string;

  const progress = { start: () => undefined, epoch: () => undefined, finish: () => undefined };

  function request(instruments: string[], outDir: string): TrainRequest {
    return { instruments, outDir, options: DEFAULT_TRAINING_OPTIONS, dayBoundary: '00:00', backend: 'cpu', command: 'tickflow train' };
  }

  before(async () => {
    folder = await mkdtemp(join(tmpdir(), 'tickflow-train-checks-'));
  });

  after(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('rejects an instrument id that is not a folder name', async () => {
    const error = await runTraining(request(['SPX', '../escape'], join(folder, 'models')), progress, silentLogger()).catch((caught: unknown) => caught);

    expect(error).to.be.instanceOf(TickflowError).with.property('code', 'model-id-invalid');
    expect((error as Error).message).to.contain('"../escape"');
    expect(existsSync(join(folder, 'models'))).to.equal(false);
  });

  it('rejects an output path that is a file', async () => {
    const file = join(folder, 'not-a-folder');
    await writeFile(file, 'x');
    const error = await runTraining(request(['SPX'], file), progress, silentLogger()).catch((caught: unknown) => caught);

    expect(error).to.be.instanceOf(TickflowError).with.property('code', 'train-out-invalid');
    expect((error as Error).message).to.contain(file);
  });

  it('rejects an output path below a file', async () => {
    const file = join(folder, 'plain-file');
    await writeFile(file, 'x');
    const error = await runTraining(request(['SPX'], join(file, 'models')), progress, silentLogger()).catch((caught: unknown) => caught);

    expect(error).to.be.instanceOf(TickflowError).with.property('code', 'train-out-invalid');
    expect((error as Error).message).to.contain(join(file, 'models'));
  });
});
