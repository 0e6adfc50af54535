import { expect } from 'chai';
import { Command } from 'commander';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sinon from 'sinon';
import { registerTrainCommand } from '../../../lib/cli/commands/train.js';
import { sharedDataFolder } from '../../../lib/model/bundled-data.js';
import { ModelMeta } from '../../../lib/model/model-meta.js';

async function train(args: string[]): Promise<void> {
  const program = new Command('tickflow').exitOverride();
  registerTrainCommand(program);
  await program.parseAsync(['node', 'tickflow', 'train', ...args]);
}

describe('tickflow train', () => {
  let out: string;
  let stdout: sinon.SinonStub;
  let stderr: sinon.SinonStub;

  beforeEach(async () => {
    out = await mkdtemp(join(tmpdir(), 'tickflow-train-cli-'));
    stdout = sinon.stub(process.stdout, 'write').returns(true);
    stderr = sinon.stub(process.stderr, 'write').returns(true);
  });

  afterEach(async () => {
    sinon.restore();
    process.exitCode = undefined;
    await rm(out, { recursive: true, force: true });
  });

  it('trains from a close-only CSV and prints the comparison', async () => {
    const csv = join(sharedDataFolder(), 'dowjones30_daily_close_1990-2001.R-fBasics.csv');
    await train(['--csv', csv, '--format', 'close-only', '--instrument', 'KO', '--out', out, '--epochs', '1', '--window', '10', '--units', '4']);
    const meta = JSON.parse(await readFile(join(out, 'KO', 'meta.json'), 'utf8')) as ModelMeta;
    const printed = stdout.getCalls().map((call) => String(call.args[0])).join('');

    expect(process.exitCode).to.equal(0);
    expect(ModelMeta.is(meta)).to.equal(true);
    expect(meta.input).to.deep.include({ kind: 'daily', format: 'close-only', column: 'KO' });
    expect(meta.window).to.equal(10);
    expect(printed).to.contain('KO: held-out comparison');
    expect(printed).to.contain('| ewma (lambda 0.94)');
  });

  it('exits 1 naming an instrument without data', async () => {
    await train(['--instrument', 'NOPE', '--out', out, '--backend', 'cpu']);
    const printed = stderr.getCalls().map((call) => String(call.args[0])).join('');

    expect(process.exitCode).to.equal(1);
    expect(printed).to.contain('no bundled data for instrument "NOPE"');
  });
});
