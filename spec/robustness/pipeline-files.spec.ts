import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { validateFiles } from '../../lib/cli/commands/validate.js';
import { packageRoot } from '../../lib/paths.js';
import { tempFolder } from '../store/support/events.js';

interface Validation {
  code: number;
  lines: string[];
}

const DEFAULT_PIPELINE = readFileSync(join(packageRoot(), 'pipelines', 'default.yaml'), 'utf8');

/** Eight levels of nine aliases each: about 43 million nodes once expanded. */
const ALIAS_BOMB = [
  'a: &a ["x","x","x","x","x","x","x","x","x"]',
  ...'bcdefghi'.split('').map((name, index) => {
    const previous = 'abcdefgh'[index];

    return `${name}: &${name} [${Array.from({ length: 9 }, () => `*${previous}`).join(',')}]`;
  }),
  'id: bomb',
].join('\n');

describe('tickflow validate on bad pipeline files', () => {
  let temp: ReturnType<typeof tempFolder>;

  beforeEach(() => {
    temp = tempFolder('tickflow-validate-');
  });

  afterEach(() => temp.remove());

  async function validateText(text: string): Promise<Validation> {
    const file = join(temp.folder, 'pipeline.yaml');
    const lines: string[] = [];

    writeFileSync(file, text);

    const code = await validateFiles([file], { out: (line) => lines.push(line), err: (line) => lines.push(line) });

    return { code, lines };
  }

  it('shipped default pipeline exits 0', async () => {
    const result = await validateText(DEFAULT_PIPELINE);

    expect(result.code).to.equal(0);
  });

  it('duplicate key exits 1 naming both lines', async () => {
    const result = await validateText(`id: a\nid: b\n${DEFAULT_PIPELINE.replace(/^id: .*$/m, '')}`);

    expect(result.code).to.equal(1);
    expect(result.lines.join('\n')).to.contain('duplicate key "id"');
  });

  it('misspelt section exits 1 with a suggestion', async () => {
    const result = await validateText(DEFAULT_PIPELINE.replace(/^stages:/m, 'stagez:'));

    expect(result.code).to.equal(1);
    expect(result.lines.join('\n')).to.contain('did you mean "stages"');
  });

  it('alias bomb exits 1', async () => {
    const result = await validateText(ALIAS_BOMB);

    expect(result.code).to.equal(1);
    expect(result.lines.join('\n')).to.contain('alias');
  });

  it('empty file exits 1', async () => {
    const result = await validateText('');

    expect(result.code).to.equal(1);
    expect(result.lines.join('\n')).to.contain('empty');
  });

  it('wrong type exits 1 naming the field', async () => {
    const result = await validateText(DEFAULT_PIPELINE.replace('maxSize: 64', 'maxSize: "sixty"'));

    expect(result.code).to.equal(1);
    expect(result.lines.join('\n')).to.contain('stages[0].batch.maxSize');
  });

  it('NaN setting exits 1', async () => {
    const result = await validateText(DEFAULT_PIPELINE.replace('targetVolatility: 0.15', 'targetVolatility: .nan'));

    expect(result.code).to.equal(1);
    expect(result.lines.join('\n')).to.contain('targetVolatility');
  });

  it('no files is bad usage', async () => {
    const code = await validateFiles([], { out: () => undefined, err: () => undefined });

    expect(code).to.equal(2);
  });

  it('__proto__ key is reported as unknown', async () => {
    const result = await validateText(`__proto__: {polluted: 1}\n${DEFAULT_PIPELINE}`);

    expect(result.code).to.equal(1);
    expect(result.lines.join('\n')).to.contain('__proto__');
  });

  it('deeply nested YAML gets a clear message', async () => {
    const result = await validateText(`a: ${'['.repeat(5000)}${']'.repeat(5000)}\n`);

    expect(result.code).to.equal(1);
    expect(result.lines.join('\n')).to.not.contain('call stack');
  });
});
