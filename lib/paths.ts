import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Returns the folder that holds tickflow's package.json: the repository root when run from
 * `lib/` through tsx, and also when run from the compiled `dist/lib/`.
 */
export function packageRoot(): string {
  let folder = dirname(fileURLToPath(import.meta.url));

  for (let depth = 0; depth < 6; depth++) {
    if (existsSync(join(folder, 'package.json')) && existsSync(join(folder, 'pipelines'))) {
      return folder;
    }

    folder = resolve(folder, '..');
  }

  return process.cwd();
}
