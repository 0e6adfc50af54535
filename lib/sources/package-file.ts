import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageRoot } from '../paths.js';

const PACKAGE_REFERENCE = /^((?:@[\w.-]+\/)?[\w.-]{2,}):(.+)$/;

/**
 * Resolves a source file setting: `<npm package>:<path>` names a file inside an installed
 * package (`vega-datasets:data/sp500-2000.csv`); anything else is a path, relative to the
 * pipeline file's folder. Returns undefined when the package is not installed.
 */
export function resolveSourceFile(file: string, baseDir: string): string | undefined {
  const reference = PACKAGE_REFERENCE.exec(file);

  if (reference === null || isAbsolute(file)) {
    return resolve(baseDir, file);
  }

  const folder = findPackageFolder(reference[1]);

  return folder === undefined ? undefined : join(folder, reference[2]);
}

/**
 * Finds an installed package's folder by walking up through `node_modules` folders. Resolving
 * `<name>/package.json` does not work for packages whose `exports` leave it out, such as
 * vega-datasets, and importing the package itself would run its code.
 */
export function findPackageFolder(name: string): string | undefined {
  const starts = [packageRoot(), dirname(fileURLToPath(import.meta.url)), process.cwd()];

  for (const start of starts) {
    let folder = start;

    for (;;) {
      const candidate = join(folder, 'node_modules', name);

      if (existsSync(join(candidate, 'package.json'))) {
        return candidate;
      }

      const parent = dirname(folder);

      if (parent === folder) {
        break;
      }

      folder = parent;
    }
  }

  return undefined;
}
