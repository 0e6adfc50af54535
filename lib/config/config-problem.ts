/**
 * One problem found while loading the engine configuration. `source` names where the value
 * came from: `flag --port`, `env PORT`, or `config/local.yaml:3:9` for a file.
 */
export interface ConfigProblem {
  readonly source: string;
  /** Dotted setting path such as `server.port`; empty for the whole source. */
  readonly path: string;
  readonly message: string;
  readonly expected?: string;
  readonly received?: string;
}

/** Formats a problem as one line: `env PORT: server.port: expected Port (...), received "abc"`. */
export function formatConfigProblem(problem: ConfigProblem): string {
  const where = problem.path === '' ? problem.source : `${problem.source}: ${problem.path}`;

  return `${where}: ${problem.message}`;
}
