/** A problem with source settings that their codec cannot see; `path` is relative to `source`. */
export interface SettingProblem {
  readonly path: string;
  readonly message: string;
  readonly expected?: string;
  readonly received?: string;
}
