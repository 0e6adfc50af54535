import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { Command } from 'commander';
import sinon from 'sinon';
import { registerLogCommand } from '../../lib/cli/commands/log.js';
import { replayCommand } from '../../lib/cli/commands/replay.js';
import { registerTrainCommand } from '../../lib/cli/commands/train.js';
import { ExitCode } from '../../lib/cli/exit-codes.js';
import { silentLogger } from '../../lib/observability/logger.js';
import { packageRoot } from '../../lib/paths.js';
import { tempFolder } from '../store/support/events.js';

const PIPELINE = join(packageRoot(), 'pipelines', 'default.yaml');

interface CommandResult {
  code: number | undefined;
  err: string;
}

/** Runs one `tickflow` subcommand in process, capturing its exit status and stderr. */
async function runCommand(register: (program: Command) => void, args: string[]): Promise<CommandResult> {
  const program = new Command('tickflow').exitOverride();
  register(program);

  const out = sinon.stub(process.stdout, 'write').returns(true);
  const err = sinon.stub(process.stderr, 'write').returns(true);
  const before = process.exitCode;

  try {
    await program.parseAsync(args, { from: 'user' });
    return { code: process.exitCode as number | undefined, err: err.args.map((call) => String(call[0])).join('') };
  } finally {
    out.restore();
    err.restore();
    process.exitCode = before;
  }
}

/** Runs `tickflow replay` with a missing log, so only the flag checks decide the status. */
async function replayStatus(flags: { from?: string; to?: string }): Promise<{ code: number; errors: string[] }> {
  const errors: string[] = [];
  const output = { out: () => undefined, err: (line: string) => errors.push(line) };
  const code = await replayCommand(PIPELINE, { log: join(packageRoot(), 'no-such-log.sqlite'), ...flags }, output, silentLogger());

  return { code, errors };
}

/** Writes a daily OHLCV CSV of `days` rising dates. */
function writeDailyCsv(file: string, days: number): void {
  const lines = ['date,open,high,low,close,volume'];

  for (let day = 0; day < days; day++) {
    const date = new Date(Date.UTC(2020, 0, 1) + day * 86_400_000).toISOString().slice(0, 10);
    const close = 100 + 10 * Math.sin(day / 7) + (day % 5);
    lines.push(`${date},${close},${close + 2},${close - 2},${close},1000`);
  }

  writeFileSync(file, `${lines.join('\n')}\n`);
}

describe('CLI under bad inputs', () => {
  let temp: ReturnType<typeof tempFolder>;

  beforeEach(() => {
    temp = tempFolder();
  });

  afterEach(() => temp.remove());

  it('replay rejects a non-date --from', async () => {
    const result = await replayStatus({ from: 'garbage' });

    expect(result.code).to.equal(ExitCode.usage);
  });

  it('replay rejects an impossible --from date', async () => {
    const result = await replayStatus({ from: '2005-02-30' });

    expect(result.code).to.equal(ExitCode.usage);
    expect(result.errors.join('\n')).to.contain('--from');
  });

  for (const from of ['1e23', '99999999999999999', '2005-13-01', '2005-01-01T25:00Z']) {
    it(`replay rejects --from ${from}`, async () => {
      const result = await replayStatus({ from });

      expect(result.code).to.equal(ExitCode.usage);
    });
  }

  it('replay takes an ISO time with a zone', async () => {
    const result = await replayStatus({ from: '2005-02-28T10:00:00+01:00', to: '2005-03-01' });

    expect(result.code).to.equal(ExitCode.failure);
    expect(result.errors.join('\n')).to.contain('does not exist');
  });

  it('replay rejects --from after --to', async () => {
    const result = await replayStatus({ from: '2010-01-01', to: '2005-01-01' });

    expect(result.code).to.equal(ExitCode.usage);
  });

  it('train keeps models inside --out', async function () {
    this.timeout(20_000);
    const csv = join(temp.folder, 'daily.csv');
    const out = join(temp.folder, 'a', 'models');
    writeDailyCsv(csv, 300);
    mkdirSync(out, { recursive: true });

    const result = await runCommand(registerTrainCommand, ['train', '--instrument', '../escape', '--csv', csv, '--out', out, '--epochs', '1', '--window', '10', '--units', '4', '--backend', 'cpu']);

    expect(existsSync(join(temp.folder, 'a', 'escape'))).to.equal(false);
    expect(result.code).to.equal(ExitCode.failure);
    expect(result.err).to.contain('../escape');
  });

  it('log verify names an empty file', async () => {
    const file = join(temp.folder, 'empty.sqlite');
    writeFileSync(file, '');

    const result = await runCommand(registerLogCommand, ['log', 'verify', file]);

    expect(result.code).to.equal(ExitCode.failure);
    expect(result.err).to.not.contain('no such table');
    expect(result.err).to.contain('empty');
  });

  it('log verify names a directory', async () => {
    const result = await runCommand(registerLogCommand, ['log', 'verify', temp.folder]);

    expect(result.code).to.equal(ExitCode.failure);
    expect(result.err).to.not.contain('disk I/O error');
    expect(result.err).to.contain('directory');
  });

  it('log verify names a file that is not SQLite', async () => {
    const file = join(temp.folder, 'text.sqlite');
    writeFileSync(file, 'hello, not a database\n');

    const result = await runCommand(registerLogCommand, ['log', 'verify', file]);

    expect(result.code).to.equal(ExitCode.failure);
    expect(result.err).to.contain(file);
  });

  it('log verify rejects a malformed --head', async () => {
    const file = join(temp.folder, 'text.sqlite');
    writeFileSync(file, '');

    const result = await runCommand(registerLogCommand, ['log', 'verify', file, '--head', 'zzz']);

    expect(result.code).to.equal(ExitCode.usage);
  });
});
