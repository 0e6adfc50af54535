/** Exit statuses of the `tickflow` command, as documented in the README. */
export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 2,
} as const;
