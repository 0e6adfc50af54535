import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect } from 'chai';
import ts from 'typescript';
import { silentLogger } from '../../lib/observability/logger.js';
import { packageRoot } from '../../lib/paths.js';
import type { SqliteEventLog } from '../../lib/store/index.js';
import { makeBar, tempFolder } from './support/events.js';

/** Compiles every file under lib/ to JavaScript, the way `npm run build` lays out dist/. */
function compileLib(outFolder: string): void {
  const root = packageRoot();
  const files = (readdirSync(join(root, 'lib'), { recursive: true }) as string[]).filter((file) => file.endsWith('.ts'));

  for (const file of files) {
    const source = readFileSync(join(root, 'lib', file), 'utf8');
    const output = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 }, fileName: file });
    const target = join(outFolder, 'lib', file.replace(/\.ts$/, '.js'));

    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, output.outputText);
  }

  writeFileSync(join(outFolder, 'package.json'), JSON.stringify({ type: 'module' }));
  symlinkSync(join(root, 'node_modules'), join(outFolder, 'node_modules'));
}

describe('SqliteEventLog compiled', () => {
  let temp: ReturnType<typeof tempFolder>;

  before(function () {
    this.timeout(60_000);
    temp = tempFolder();
    compileLib(join(temp.folder, 'dist'));
  });

  after(() => temp.remove());

  it('starts the writer from JavaScript', async () => {
    const entry = join(temp.folder, 'dist', 'lib', 'store', 'index.js');
    const module = (await import(pathToFileURL(entry).href)) as { SqliteEventLog: typeof SqliteEventLog };
    const file = join(temp.folder, 'events.sqlite');
    const log = await module.SqliteEventLog.open({ file }, silentLogger());
    const outcome = await log.append([makeBar(0, 100), makeBar(1, 101)]);
    await log.close();

    expect(relative(temp.folder, entry)).to.match(/\.js$/);
    expect(outcome.inserted).to.equal(2);
  });
});
