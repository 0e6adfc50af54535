import { expect } from 'chai';
import { join } from 'node:path';
import { parsePipeline, type PipelineProblem } from '../../lib/pipeline/index.js';
import { packageRoot } from '../../lib/paths.js';
import { testRegistry } from './fixtures/test-registry.js';

const DATA = join(packageRoot(), '..', 'shared', 'data');
const FILE = join(packageRoot(), 'pipelines', 'test.yaml');

function problemsOf(text: string): PipelineProblem[] {
  const result = parsePipeline(text, FILE, testRegistry());

  expect(result.ok, 'expected the pipeline to be invalid').to.equal(false);
  return result.ok ? [] : result.problems;
}

function problemAt(problems: readonly PipelineProblem[], path: string): PipelineProblem {
  const found = problems.find((problem) => problem.path === path);

  expect(found, `no problem at ${path}; got ${JSON.stringify(problems)}`).to.not.equal(undefined);
  return found as PipelineProblem;
}

const VALID = `id: test
instruments: [SPX]
source:
  type: csv
  file: ${join(DATA, 'sp500_daily_2000-2020.vega-datasets.csv')}
  timeZone: UTC
stages:
  - use: passthrough
  - use: forecast-test
    model: SPX
    batch: {maxSize: 8}
`;

describe('parsePipeline', () => {
  it('accepts a valid pipeline', () => {
    const result = parsePipeline(VALID, FILE, testRegistry());

    expect(result.ok).to.equal(true);

    if (result.ok) {
      expect(result.spec.id).to.equal('test');
      expect(result.spec.instruments).to.deep.equal([{ id: 'SPX', allowNegativePrices: false }]);
      expect(result.spec.stages.map((stage) => stage.kind)).to.deep.equal(['passthrough', 'forecast-test']);
      expect(result.spec.stages[1].settings).to.deep.equal({ model: 'SPX', batch: { maxSize: 8 } });
      expect(result.spec.stages[1].line).to.equal(9);
      expect(result.spec.outputs).to.deep.equal({ bus: true, log: true });
    }
  });

  it('reads instrument objects and outputs', () => {
    const text = VALID.replace('instruments: [SPX]', 'instruments:\n  - {id: SPX, allowNegativePrices: true}\noutputs: {bus: false, log: true}');
    const result = parsePipeline(text, FILE, testRegistry());

    expect(result.ok).to.equal(true);

    if (result.ok) {
      expect(result.spec.instruments).to.deep.equal([{ id: 'SPX', allowNegativePrices: true }]);
      expect(result.spec.outputs).to.deep.equal({ bus: false, log: true });
    }
  });

  it('positions a wrong value with path, expected and received', () => {
    const problem = problemAt(problemsOf(VALID.replace('maxSize: 8', 'maxSize: -3')), 'stages[1].batch.maxSize');

    expect(problem).to.include({ file: FILE, line: 11, column: 22, expected: 'PositiveInteger', received: '-3' });
  });

  it('reports every problem, not only the first', () => {
    const text = VALID.replace('maxSize: 8', 'maxSize: 0').replace('timeZone: UTC', 'timeZone: Mars/Olympus').replace('instruments: [SPX]', 'instruments: [SPX]\nid: "bad id"');
    const paths = problemsOf(text).map((problem) => problem.path);

    expect(paths).to.include.members(['stages[1].batch.maxSize', 'source.timeZone', 'id']);
  });

  it('suggests the nearest key for an unknown key', () => {
    const problems = problemsOf(VALID.replace('model: SPX', 'modle: SPX').replace('timeZone: UTC', 'timezone: UTC'));
    const stageKey = problemAt(problems, 'stages[1].modle');
    const sourceKey = problemAt(problems, 'source.timezone');

    expect(stageKey.message).to.contain('did you mean "model"?');
    expect(stageKey).to.include({ line: 10, column: 5 });
    expect(sourceKey.message).to.contain('did you mean "timeZone"?');
  });

  it('suggests a top-level key', () => {
    const problem = problemAt(problemsOf(VALID.replace('id: test', 'id: test\nstagse: []')), 'stagse');

    expect(problem.message).to.contain('did you mean "stages"?');
    expect(problem.line).to.equal(2);
  });

  it('names both lines of a duplicate key', () => {
    const problem = problemAt(problemsOf(VALID.replace('  timeZone: UTC', '  timeZone: UTC\n  timeZone: UTC')), 'source.timeZone');

    expect(problem.message).to.contain('line 6').and.to.contain('line 7');
    expect(problem.line).to.equal(7);
  });

  for (const value of ['NO', 'ON', '09:30', '0123', 'true', '1e3']) {
    it(`keeps ${value} as written where a string is expected`, () => {
      const result = parsePipeline(VALID.replace('model: SPX', `model: ${value}\n    session: ${value}`), FILE, testRegistry());

      expect(result.ok, JSON.stringify(result)).to.equal(true);

      if (result.ok) {
        expect(result.spec.stages[1].settings).to.include({ model: value, session: value });
      }
    });
  }

  it('keeps YAML 1.1 booleans and sexagesimals as written', () => {
    const result = parsePipeline(`%YAML 1.1\n---\n${VALID.replace('model: SPX', 'model: NO\n    session: 09:30')}`, FILE, testRegistry());

    expect(result.ok, JSON.stringify(result)).to.equal(true);

    if (result.ok) {
      expect(result.spec.stages[1].settings).to.include({ model: 'NO', session: '09:30' });
    }
  });

  it('still rejects a number where a number is wrong', () => {
    const problem = problemAt(problemsOf(VALID.replace('maxSize: 8', 'maxSize: "8"')), 'stages[1].batch.maxSize');

    expect(problem.received).to.equal('"8"');
  });

  it('rejects nested aliases quickly, with a position', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];

    for (let level = 1; level < 9; level++) {
      const previous = String.fromCharCode(96 + level);
      levels.push(`${String.fromCharCode(97 + level)}: &${String.fromCharCode(97 + level)} [${Array(10).fill(`*${previous}`).join(', ')}]`);
    }

    problemsOf('a: [x]\n');
    const started = Date.now();
    const problems = problemsOf(levels.join('\n'));
    const elapsed = Date.now() - started;
    const alias = problems.find((problem) => problem.message.includes('alias'));

    expect(alias, JSON.stringify(problems)).to.not.equal(undefined);
    expect(alias?.line).to.be.greaterThan(1);
    expect(elapsed).to.be.lessThan(200);
  });

  it('rejects an alias that contains itself', () => {
    const problems = problemsOf('a: &a [*a]\n');

    expect(problems[0].message).to.contain('alias');
  });

  it('reports an empty file at line 1', () => {
    for (const text of ['', '   \n', '# only a comment\n']) {
      const problems = problemsOf(text);

      expect(problems[0]).to.include({ line: 1, column: 1 });
      expect(problems[0].message).to.match(/empty|mapping/);
    }
  });

  it('reports a non-mapping top level at line 1', () => {
    for (const text of ['- a\n- b\n', 'just text\n', '\n\n42\n']) {
      const problem = problemsOf(text)[0];

      expect(problem).to.include({ line: 1, column: 1, expected: 'mapping' });
    }
  });

  it('reports YAML syntax errors with a position', () => {
    const problem = problemsOf('instruments: [SPX\nsource: {type: csv}\n').find((entry) => entry.message.includes('invalid YAML'));

    expect(problem, 'no YAML syntax problem').to.not.equal(undefined);
    expect(problem?.line).to.be.greaterThan(0);
  });

  it('names both stages when the chain does not fit', () => {
    const problem = problemAt(problemsOf(VALID.replace('  - use: passthrough\n', '  - use: signal-test\n')), 'stages[0].use');

    expect(problem.message).to.contain('"signal-test"').and.to.contain('csv source');

    const second = problemAt(problemsOf(VALID + '  - use: signal-test\n'), 'stages[2].use');

    expect(second.message).to.contain('"signal-test"').and.to.contain('"forecast-test"');
    expect(second).to.include({ expected: 'signal', received: 'forecast' });
  });

  it('suggests a stage kind for a misspelt use', () => {
    const problem = problemAt(problemsOf(VALID.replace('use: passthrough', 'use: passthru')), 'stages[0].use');

    expect(problem.message).to.contain('did you mean "passthrough"?');
  });

  it('reports a missing section at its name', () => {
    const problem = problemAt(problemsOf('instruments: [SPX]\nstages: []\n'), 'source');

    expect(problem.message).to.contain('missing');
  });

  it('reports an unknown source type with a suggestion', () => {
    const problem = problemAt(problemsOf(VALID.replace('type: csv', 'type: cvs')), 'source.type');

    expect(problem.message).to.contain('did you mean "csv"?');
  });

  it('reports a source file that does not exist', () => {
    const problem = problemAt(problemsOf(VALID.replace('sp500_daily', 'no_such')), 'source.file');

    expect(problem.message).to.contain('not found');
  });

  it('reports duplicate instruments and stage names', () => {
    const text = VALID.replace('instruments: [SPX]', 'instruments: [SPX, SPX]').replace('  - use: passthrough\n', '  - use: passthrough\n    name: same\n  - use: passthrough\n    name: same\n');
    const problems = problemsOf(text);

    expect(problems.map((problem) => problem.path)).to.include.members(['instruments[1]', 'stages[1].name']);
  });

  it('numbers repeated unnamed stages', () => {
    const result = parsePipeline(VALID.replace('  - use: passthrough\n', '  - use: passthrough\n  - use: passthrough\n'), FILE, testRegistry());

    expect(result.ok && result.spec.stages.map((stage) => stage.name)).to.deep.equal(['passthrough', 'passthrough-1', 'forecast-test']);
  });

  it('checks websocket and synthetic sources', () => {
    const feed = problemsOf(VALID.replace(/source:[\s\S]*?stages:/, 'source:\n  type: websocket\n  url: http://example\nstages:'));
    const synthetic = problemsOf(VALID.replace(/source:[\s\S]*?stages:/, 'source:\n  type: synthetic\n  start: yesterday\nstages:'));
    const noUrl = problemsOf(VALID.replace(/source:[\s\S]*?stages:/, 'source:\n  type: websocket\nstages:'));

    expect(problemAt(feed, 'source.url').message).to.contain('WebSocket');
    expect(problemAt(synthetic, 'source.start').message).to.contain('ISO 8601');
    expect(problemAt(noUrl, 'source.url').message).to.contain('missing');
  });
});
