import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateFiles } from '../../../lib/cli/commands/validate.js';
import { packageRoot } from '../../../lib/paths.js';

function capture(): { lines: string[]; errors: string[]; output: { out(line: string): void; err(line: string): void } } {
  const lines: string[] = [];
  const errors: string[] = [];

  return { lines, errors, output: { out: (line) => lines.push(line), err: (line) => errors.push(line) } };
}

describe('tickflow validate', () => {
  const folder = mkdtempSync(join(tmpdir(), 'tickflow-validate-'));
  const good = join(folder, 'good.yaml');
  const bad = join(folder, 'bad.yaml');

  writeFileSync(good, 'instruments: [X]\nsource: {type: synthetic, bars: 3}\nstages:\n  - use: passthrough\n');
  writeFileSync(bad, 'instruments: [X]\nsource: {type: synthetic, bars: -3}\nstages:\n  - use: passthrough\n    speed: 2\n');

  it('exits 0 for a valid file', async () => {
    const { lines, output } = capture();

    expect(await validateFiles([good], output)).to.equal(0);
    expect(lines[0]).to.contain('valid');
  });

  it('prints every problem as file:line:col and exits 1', async () => {
    const { lines, output } = capture();

    expect(await validateFiles([good, bad], output)).to.equal(1);
    expect(lines).to.include(`${bad}:2:33: source.bars: invalid value (expected PositiveInteger, received -3)`);
    expect(lines.some((line) => line.startsWith(`${bad}:5:5: stages[0].speed: unknown key "speed"`))).to.equal(true);
  });

  it('reports an lstm model missing from the models folder', async () => {
    const { lines, output } = capture();
    const file = join(folder, 'model.yaml');
    writeFileSync(file, 'instruments: [SPX]\nsource: {type: synthetic, bars: 3}\nstages:\n  - use: lstm\n    model: NOPE\n');

    expect(await validateFiles([file], output, join(packageRoot(), 'models'))).to.equal(1);
    expect(lines).to.have.length(1);
    expect(lines[0]).to.contain(`${file}:4:1: stages[0].model: model "NOPE" not found`);
    expect(lines[0]).to.contain('tickflow train --instrument NOPE');
  });

  it('accepts an lstm model present in the models folder', async () => {
    const { lines, output } = capture();
    const file = join(folder, 'spx.yaml');
    writeFileSync(file, 'instruments: [SPX]\nsource: {type: synthetic, bars: 3}\nstages:\n  - use: lstm\n    model: SPX\n');

    expect(await validateFiles([file], output, join(packageRoot(), 'models'))).to.equal(0);
    expect(lines[0]).to.contain('valid');
  });

  it('exits 2 without files or with a missing file', async () => {
    const { errors, output } = capture();

    expect(await validateFiles([], output)).to.equal(2);
    expect(await validateFiles([join(folder, 'nope.yaml')], output)).to.equal(2);
    expect(errors[1]).to.contain('file not found');
  });
});
