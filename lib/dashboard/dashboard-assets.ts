import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TickflowError } from '../errors.js';
import { packageRoot } from '../paths.js';

/** One file of the dashboard, read once at startup. */
export interface StaticAsset {
  readonly contentType: string;
  readonly body: Buffer;
  /** Strong validator for `If-None-Match`. */
  readonly etag: string;
}

const CHART_SCRIPT = 'lightweight-charts.standalone.production.js';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/**
 * Reads the dashboard page and its scripts into memory, keyed by URL path: `/` for the page
 * and `/dashboard/<file>` for the rest, including the lightweight-charts standalone build.
 */
export function loadDashboardAssets(): ReadonlyMap<string, StaticAsset> {
  const folder = assetFolder();
  const assets = new Map<string, StaticAsset>();

  for (const file of readdirSync(folder)) {
    const contentType = CONTENT_TYPES[extname(file)];

    if (contentType !== undefined) {
      const path = file === 'index.html' ? '/' : `/dashboard/${file}`;
      assets.set(path, assetOf(readFileSync(join(folder, file)), contentType));
    }
  }

  assets.set(`/dashboard/${CHART_SCRIPT}`, assetOf(readFileSync(chartScriptFile()), CONTENT_TYPES['.js']));

  return assets;
}

/** Builds an asset from content generated at request time, such as the page settings. */
export function assetOf(body: Buffer, contentType: string): StaticAsset {
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;

  return { contentType, body, etag };
}

/**
 * Finds the folder of the page files: beside this module when it runs from `lib/` through tsx,
 * or in `lib/dashboard/assets` of the package when it runs compiled from `dist/`, because the
 * TypeScript build copies no other files.
 */
function assetFolder(): string {
  const candidates = [join(dirname(fileURLToPath(import.meta.url)), 'assets'), join(packageRoot(), 'lib', 'dashboard', 'assets')];
  const found = candidates.find((folder) => existsSync(join(folder, 'index.html')));

  if (found === undefined) {
    throw new TickflowError('dashboard-assets-missing', `dashboard files not found in ${candidates.join(' or ')}`, { candidates });
  }

  return found;
}

/**
 * Locates the standalone build in the installed package folder: lightweight-charts 5 exports
 * no subpath for it, only `./package.json`.
 */
function chartScriptFile(): string {
  const require = createRequire(import.meta.url);
  const packageFolder = dirname(require.resolve('lightweight-charts/package.json'));
  const file = join(packageFolder, 'dist', CHART_SCRIPT);

  if (!existsSync(file)) {
    throw new TickflowError('dashboard-assets-missing', `lightweight-charts standalone build not found at ${file}; reinstall the dependencies`, { file });
  }

  return file;
}
