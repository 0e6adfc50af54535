import { expect } from 'chai';
import { Command } from 'commander';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TickflowError } from '../../lib/errors.js';
import { addConfigOptions, loadConfig, loadConfigOrThrow } from '../../lib/config/index.js';
import type { ConfigProblem, LoadConfigOptions, LoadedConfig } from '../../lib/config/index.js';

describe('loadConfig', () => {
  let folder: string;

  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'tickflow-config-'));
  });

  afterEach(() => {
    rmSync(folder, { recursive: true, force: true });
  });

  function writeYaml(name: string, text: string): string {
    const file = join(folder, name);
    writeFileSync(file, text);
    return file;
  }

  function loaded(options: LoadConfigOptions): LoadedConfig {
    const result = loadConfig(options);

    if (!result.ok) {
      throw new Error(`unexpected problems: ${JSON.stringify(result.problems)}`);
    }

    return result;
  }

  function problemsOf(options: LoadConfigOptions): readonly ConfigProblem[] {
    const result = loadConfig(options);

    if (result.ok) {
      throw new Error('expected configuration problems, got none');
    }

    return result.problems;
  }

  describe('defaults', () => {
    it('listens on 127.0.0.1:8080', () => {
      const { config } = loaded({});

      expect(config.server.host).to.equal('127.0.0.1');
      expect(config.server.port).to.equal(8080);
    });

    it('uses the documented paths', () => {
      const { config } = loaded({});

      expect(config.eventLog.path).to.equal('data/events.sqlite');
      expect(config.models.dir).to.equal('models');
    });

    it('replays in about ten minutes', () => {
      const { config } = loaded({});

      expect(config.replay).to.deep.equal({ speed: null, durationSeconds: 600 });
    });

    it('leaves auth and CORS off', () => {
      const { config } = loaded({});

      expect(config.auth.apiKeys).to.deep.equal([]);
      expect(config.server.corsOrigins).to.deep.equal([]);
    });

    it('records the origin of each setting', () => {
      const { origins, files } = loaded({});

      expect(files).to.deep.equal(['config/default.yaml']);
      expect(origins.get('server.port')).to.match(/^config\/default\.yaml:\d+:\d+$/);
    });
  });

  describe('precedence', () => {
    it('config file overrides the defaults', () => {
      const configFile = writeYaml('local.yaml', 'server:\n  port: 9001\n');

      expect(loaded({ configFile }).config.server.port).to.equal(9001);
    });

    it('keeps defaults the config file leaves out', () => {
      const configFile = writeYaml('local.yaml', 'server:\n  port: 9001\n');

      expect(loaded({ configFile }).config.server.host).to.equal('127.0.0.1');
    });

    it('environment overrides the config file', () => {
      const configFile = writeYaml('local.yaml', 'server:\n  port: 9001\n');
      const result = loaded({ configFile, env: { PORT: '9002' } });

      expect(result.config.server.port).to.equal(9002);
      expect(result.origins.get('server.port')).to.equal('env PORT');
    });

    it('flags override the environment', () => {
      const result = loaded({ env: { PORT: '9002' }, flags: { port: '9003' } });

      expect(result.config.server.port).to.equal(9003);
      expect(result.origins.get('server.port')).to.equal('flag --port');
    });

    it('reads TICKFLOW variables', () => {
      const env = { TICKFLOW_LOG_LEVEL: 'debug', TICKFLOW_EVENT_LOG: '/tmp/x.sqlite', TICKFLOW_MODELS_DIR: 'm2', HOST: '0.0.0.0' };
      const { config } = loaded({ env });

      expect(config.log.level).to.equal('debug');
      expect(config.eventLog.path).to.equal('/tmp/x.sqlite');
      expect(config.models.dir).to.equal('m2');
      expect(config.server.host).to.equal('0.0.0.0');
    });

    it('splits comma-separated lists', () => {
      const env = { TICKFLOW_API_KEYS: 'key-one, key-two,,', TICKFLOW_CORS_ORIGINS: 'http://localhost:3000' };
      const { config } = loaded({ env });

      expect(config.auth.apiKeys).to.deep.equal(['key-one', 'key-two']);
      expect(config.server.corsOrigins).to.deep.equal(['http://localhost:3000']);
    });

    it('treats empty variables as unset', () => {
      expect(loaded({ env: { PORT: '' } }).config.server.port).to.equal(8080);
    });

    it('replaces lists whole', () => {
      const configFile = writeYaml('local.yaml', 'auth:\n  apiKeys: [a1, a2]\n');

      expect(loaded({ configFile, env: { TICKFLOW_API_KEYS: 'b1' } }).config.auth.apiKeys).to.deep.equal(['b1']);
    });

    it('replay duration from a higher layer clears speed', () => {
      const configFile = writeYaml('local.yaml', 'replay:\n  speed: max\n');
      const { config } = loaded({ configFile, env: { TICKFLOW_REPLAY_DURATION: '60' } });

      expect(config.replay).to.deep.equal({ speed: null, durationSeconds: 60 });
    });

    it('replay speed flag clears the duration', () => {
      const { config } = loaded({ flags: { replaySpeed: 'max' } });

      expect(config.replay).to.deep.equal({ speed: 'max', durationSeconds: null });
    });

    it('reads flags registered on a command', () => {
      const command = addConfigOptions(new Command('run')).exitOverride();
      command.parse(['--port', '9100', '--log-level', 'warn', '--replay-speed', '2.5'], { from: 'user' });
      const { config } = loaded({ flags: command.opts() });

      expect(config.server.port).to.equal(9100);
      expect(config.log.level).to.equal('warn');
      expect(config.replay.speed).to.equal(2.5);
    });
  });

  describe('bad values', () => {
    it('PORT=abc names the variable', () => {
      const [problem] = problemsOf({ env: { PORT: 'abc' } });

      expect(problem.source).to.equal('env PORT');
      expect(problem.path).to.equal('server.port');
      expect(problem.expected).to.contain('Port');
      expect(problem.received).to.equal('"abc"');
    });

    it('PORT=70000 is out of range', () => {
      const [problem] = problemsOf({ env: { PORT: '70000' } });

      expect(problem.source).to.equal('env PORT');
      expect(problem.received).to.equal('70000');
    });

    it('--port 0 names the flag', () => {
      const [problem] = problemsOf({ flags: { port: '0' } });

      expect(problem.source).to.equal('flag --port');
      expect(problem.received).to.equal('0');
    });

    it('bad log level from the environment', () => {
      const [problem] = problemsOf({ env: { TICKFLOW_LOG_LEVEL: 'verbose' } });

      expect(problem.source).to.equal('env TICKFLOW_LOG_LEVEL');
      expect(problem.path).to.equal('log.level');
      expect(problem.received).to.equal('"verbose"');
    });

    it('file value names file, line and column', () => {
      const configFile = writeYaml('local.yaml', 'server:\n  host: 127.0.0.1\n  port: -5\n');
      const [problem] = problemsOf({ configFile });

      expect(problem.source).to.equal(`${configFile}:3:9`);
      expect(problem.path).to.equal('server.port');
      expect(problem.received).to.equal('-5');
    });

    it('reports every problem, not only the first', () => {
      const configFile = writeYaml('local.yaml', 'server:\n  port: x\nlog:\n  level: loud\n');
      const problems = problemsOf({ configFile });

      expect(problems.map((problem) => problem.path)).to.deep.equal(['server.port', 'log.level']);
    });

    it('unknown key suggests the nearest one', () => {
      const configFile = writeYaml('local.yaml', 'server:\n  prot: 9000\n');
      const [problem] = problemsOf({ configFile });

      expect(problem.source).to.equal(`${configFile}:2:3`);
      expect(problem.path).to.equal('server.prot');
      expect(problem.message).to.contain('did you mean "port"');
    });

    it('unknown section lists the valid ones', () => {
      const configFile = writeYaml('local.yaml', 'databaseSettings:\n  x: 1\n');
      const [problem] = problemsOf({ configFile });

      expect(problem.message).to.contain('unknown key "databaseSettings"');
      expect(problem.message).to.contain('server, auth, websocket');
    });

    it('duplicate key has a position', () => {
      const configFile = writeYaml('local.yaml', 'server:\n  port: 1\n  port: 2\n');
      const [problem] = problemsOf({ configFile });

      expect(problem.source).to.match(new RegExp(`^${configFile}:3:\\d+$`));
      expect(problem.message).to.match(/unique/i);
    });

    it('syntax error has a position', () => {
      const configFile = writeYaml('local.yaml', 'server:\n  port: [1, 2\n');
      const [problem] = problemsOf({ configFile });

      expect(problem.source).to.match(new RegExp(`^${configFile}:\\d+:\\d+$`));
    });

    it('top level must be a mapping', () => {
      const configFile = writeYaml('local.yaml', '- port\n');
      const [problem] = problemsOf({ configFile });

      expect(problem.source).to.equal(`${configFile}:1:1`);
      expect(problem.message).to.contain('mapping');
    });

    it('missing config file is a problem', () => {
      const configFile = join(folder, 'absent.yaml');
      const [problem] = problemsOf({ configFile });

      expect(problem.source).to.equal(configFile);
      expect(problem.message).to.contain('not found');
    });

    it('missing setting blames the section', () => {
      const defaultFile = writeYaml('defaults.yaml', 'server:\n  host: 127.0.0.1\n');
      const problems = problemsOf({ defaultFile });
      const port = problems.find((problem) => problem.path === 'server.port');

      expect(port?.source).to.equal(`${defaultFile}:2:3`);
      expect(port?.received).to.equal('undefined');
    });

    it('never shows an API key', () => {
      const [problem] = problemsOf({ env: { TICKFLOW_API_KEYS: 'secret with space' } });

      expect(problem.path).to.equal('auth.apiKeys[0]');
      expect(problem.message).not.to.contain('secret');
    });

    it('stops nested aliases quickly', () => {
      const anchors = ['&a0 [x, x, x, x, x, x, x, x, x, x]'];

      for (let level = 1; level < 8; level++) {
        anchors.push(`&a${level} [${Array(10).fill(`*a${level - 1}`).join(', ')}]`);
      }

      const configFile = writeYaml('bomb.yaml', `auth:\n  apiKeys: [${anchors.join(', ')}]\n`);
      const started = performance.now();
      const problems = problemsOf({ configFile });

      expect(problems[0].path).to.match(/^auth\.apiKeys/);
      expect(problems[0].message).to.match(/alias/);
      expect(performance.now() - started).to.be.below(2000);
    });

    it('stops aliases of sections', () => {
      const configFile = writeYaml('sections.yaml', `server: &s {port: 9000}\nwebsocket: *s\n`);
      const [problem] = problemsOf({ configFile });

      expect(problem.path).to.equal('websocket.port');
      expect(problem.message).to.contain('unknown key "port"');
    });
  });

  describe('YAML reading', () => {
    it('keeps string source text', () => {
      const configFile = writeYaml('local.yaml', 'auth:\n  apiKeys: [0123, "k2"]\n');

      expect(loaded({ configFile }).config.auth.apiKeys).to.deep.equal(['0123', 'k2']);
    });

    it('empty section keeps defaults', () => {
      const configFile = writeYaml('local.yaml', 'server:\nlog:\n  level: warn\n');
      const { config } = loaded({ configFile });

      expect(config.server.port).to.equal(8080);
      expect(config.log.level).to.equal('warn');
    });

    it('empty file changes nothing', () => {
      const configFile = writeYaml('local.yaml', '# nothing yet\n');

      expect(loaded({ configFile }).config.server.port).to.equal(8080);
    });

    it('resolves aliases', () => {
      const configFile = writeYaml('local.yaml', 'log:\n  summaryIntervalSeconds: &every 7\nwebsocket:\n  maxQueue: *every\n');

      expect(loaded({ configFile }).config.websocket.maxQueue).to.equal(7);
    });
  });

  describe('warnings', () => {
    it('unknown TICKFLOW variable suggests a name', () => {
      const result = loaded({ env: { TICKFLOW_LOGLEVEL: 'debug' } });

      expect(result.warnings).to.deep.equal(['env TICKFLOW_LOGLEVEL is not a tickflow setting; did you mean TICKFLOW_LOG_LEVEL?']);
    });
  });
});

describe('loadConfigOrThrow', () => {
  it('throws invalid-config with every problem', () => {
    try {
      loadConfigOrThrow({ env: { PORT: 'abc', TICKFLOW_LOG_LEVEL: 'loud' } });
      expect.fail('expected an error');
    } catch (error) {
      expect(error).to.be.instanceOf(TickflowError);
      expect((error as TickflowError).code).to.equal('invalid-config');
      expect((error as TickflowError).message).to.contain('env PORT: server.port: expected Port');
      expect((error as TickflowError).message).to.contain('env TICKFLOW_LOG_LEVEL: log.level');
    }
  });

  it('returns the configuration when valid', () => {
    expect(loadConfigOrThrow({ flags: { host: 'localhost' } }).config.server.host).to.equal('localhost');
  });
});
