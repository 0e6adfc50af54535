import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { TickflowError } from '../errors.js';
import { formatValidationErrors } from '../events/validation-issue.js';
import { packageRoot } from '../paths.js';
import type { ConfigLayer } from './config-layer.js';
import { formatConfigProblem } from './config-problem.js';
import type { ConfigProblem } from './config-problem.js';
import { EngineConfig } from './engine-config.js';
import { mergeLayers, originOf } from './merge-layers.js';
import { readEnvLayer, readFlagLayer, unknownEnvWarnings } from './text-layers.js';
import { readYamlLayer } from './yaml-layer.js';

export interface LoadConfigOptions {
  /** Commander's parsed options; only the keys of `FLAG_SETTINGS` are read. */
  readonly flags?: Readonly<Record<string, unknown>>;
  /** Usually `process.env`; nothing is read from the environment when omitted. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The `--config FILE`, relative to the working directory. */
  readonly configFile?: string;
  /** The lowest layer; `config/default.yaml` of the package unless set. */
  readonly defaultFile?: string;
}

export interface LoadedConfig {
  readonly config: EngineConfig;
  /** The source of each setting that a layer set, by dotted path. */
  readonly origins: ReadonlyMap<string, string>;
  /** The files read, lowest precedence first. */
  readonly files: readonly string[];
  /** Things worth logging that do not stop the engine, such as unknown `TICKFLOW_*` variables. */
  readonly warnings: readonly string[];
}

export type LoadConfigResult = ({ readonly ok: true } & LoadedConfig) | { readonly ok: false; readonly problems: readonly ConfigProblem[]; readonly warnings: readonly string[] };

/** Default configuration file shipped with the package. */
export function defaultConfigFile(): string {
  return join(packageRoot(), 'config', 'default.yaml');
}

/**
 * Loads the engine configuration. Precedence, highest first: flags, environment, the
 * `--config` file, the default file. Every problem in every layer is reported, each naming
 * its source, the setting path, what was expected and what was received.
 */
export function loadConfig(options: LoadConfigOptions = {}): LoadConfigResult {
  const problems: ConfigProblem[] = [];
  const files = [displayPath(options.defaultFile ?? defaultConfigFile())];
  const env = options.env ?? {};
  const warnings = unknownEnvWarnings(env);

  if (options.configFile !== undefined) {
    files.push(options.configFile);
  }

  const layers: ConfigLayer[] = files.map((file) => readFileLayer(file, problems));
  layers.push(readEnvLayer(env, EngineConfig), readFlagLayer(options.flags ?? {}, EngineConfig));

  if (problems.length > 0) {
    return { ok: false, problems, warnings };
  }

  const merged = mergeLayers(layers);
  const decoded = EngineConfig.decode(merged.values);

  if (decoded._tag === 'Left') {
    const issues = formatValidationErrors(decoded.left);
    const decodeProblems = issues.map((issue) => ({
      source: originOf(merged.origins, issue.path, files[files.length - 1]),
      path: issue.path,
      message: `expected ${issue.expected}, received ${redacted(issue.path, issue.received)}`,
      expected: issue.expected,
      received: redacted(issue.path, issue.received),
    }));

    return { ok: false, problems: decodeProblems, warnings };
  }

  return { ok: true, config: decoded.right, origins: merged.origins, files, warnings };
}

/** Loads the configuration or throws TickflowError `invalid-config` listing every problem, one a line. */
export function loadConfigOrThrow(options: LoadConfigOptions = {}): LoadedConfig {
  const result = loadConfig(options);

  if (!result.ok) {
    const lines = result.problems.map(formatConfigProblem);
    throw new TickflowError('invalid-config', `invalid configuration:\n  ${lines.join('\n  ')}`, { problems: result.problems });
  }

  return result;
}

function readFileLayer(file: string, problems: ConfigProblem[]): ConfigLayer {
  const empty: ConfigLayer = { name: file, values: {}, origins: new Map() };

  if (!existsSync(file)) {
    problems.push({ source: file, path: '', message: 'configuration file not found; check the path given to --config' });
    return empty;
  }

  let text: string;

  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    problems.push({ source: file, path: '', message: `cannot read configuration file: ${(error as Error).message}` });
    return empty;
  }

  const result = readYamlLayer(file, text, EngineConfig);
  problems.push(...result.problems);

  return result.layer;
}

/** API keys never appear in messages or logs. */
function redacted(path: string, received: string): string {
  return path.startsWith('auth.apiKeys') && received !== 'undefined' ? '(redacted)' : received;
}

function displayPath(file: string): string {
  const shown = relative(process.cwd(), file);

  return shown === '' || shown.startsWith('..') ? file : shown;
}
