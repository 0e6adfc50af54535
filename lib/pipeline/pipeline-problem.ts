/**
 * One problem found in a pipeline file, with its position. Lines and columns count from 1.
 * `path` is the dotted path of the offending value (`stages[2].batch.maxSize`), empty for the
 * whole document.
 */
export interface PipelineProblem {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly path: string;
  readonly message: string;
  readonly expected?: string;
  readonly received?: string;
}

/** Formats a problem as `file:line:col: path: message (expected X, received Y)`. */
export function formatProblem(problem: PipelineProblem): string {
  const where = `${problem.file}:${problem.line}:${problem.column}`;
  const path = problem.path === '' ? '(root)' : problem.path;
  const detail = formatDetail(problem);

  return `${where}: ${path}: ${problem.message}${detail}`;
}

function formatDetail(problem: PipelineProblem): string {
  if (problem.expected === undefined && problem.received === undefined) {
    return '';
  }

  return ` (expected ${problem.expected ?? 'unknown'}, received ${problem.received ?? 'unknown'})`;
}

/** Orders problems by position, so output reads top to bottom like the file. */
export function sortProblems(problems: readonly PipelineProblem[]): PipelineProblem[] {
  return [...problems].sort((a, b) => a.line - b.line || a.column - b.column || a.path.localeCompare(b.path));
}
