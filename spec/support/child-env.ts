/**
 * Returns the environment for a child process that writes no V8 coverage. A child's coverage
 * of the same TypeScript files, transformed by tsx in another process, merges badly with the
 * parent's: c8 then reports lines the parent ran as uncovered. What a child runs is covered
 * in-process by other specs anyway. Node copies NODE_V8_COVERAGE into a child's environment
 * when the variable is absent, so it is set to the empty string, which turns coverage off.
 */
export function withoutCoverage(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...env, NODE_V8_COVERAGE: '' };
}
