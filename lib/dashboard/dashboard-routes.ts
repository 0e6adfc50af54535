import type Router from '@koa/router';
import type Koa from 'koa';
import { assetOf, loadDashboardAssets } from './dashboard-assets.js';
import type { StaticAsset } from './dashboard-assets.js';

export interface DashboardOptions {
  /** Instruments offered by the picker, read on every page load; the first is shown first. */
  readonly instruments: () => readonly string[];
  /** Path of the WebSocket gateway on the same host, `/ws` unless set. */
  readonly wsPath?: string;
  /** Queue bound the page requests in its market subscription, in events; 1000 unless set. */
  readonly maxQueue?: number;
}

/** Settings the page reads from `dashboard/config.json` before it connects. */
export interface DashboardSettings {
  readonly instruments: readonly string[];
  readonly wsPath: string;
  readonly maxQueue: number;
}

const SETTINGS_PATH = '/dashboard/config.json';

/**
 * The page may load scripts, styles and data from its own origin only, and may connect back
 * to it (WebSocket included, as CSP level 3 counts ws: on the same host as 'self').
 * lightweight-charts sets inline styles on its canvases, hence 'unsafe-inline' for styles.
 */
const PAGE_POLICY = [
  "default-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "style-src 'self' 'unsafe-inline'",
  "script-src 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The routes of the dashboard, in the shape the server's extra-routes port takes. */
export type DashboardMount = (target: { readonly app: Koa; readonly router: Router }) => void;

/**
 * Returns a function that adds the dashboard to a router: `GET /` for the page, the scripts and
 * styles under `/dashboard/`, and `/dashboard/config.json` with the settings.
 */
export function createDashboardRoutes(options: DashboardOptions): DashboardMount {
  const serve = dashboardMiddleware(options);
  const paths = [...loadDashboardAssets().keys(), SETTINGS_PATH];

  return ({ router }) => {
    for (const path of paths) {
      router.get(path, serve);
    }
  };
}

/**
 * Returns Koa middleware that serves the dashboard for GET and HEAD requests on its paths and
 * passes every other request on.
 */
export function dashboardMiddleware(options: DashboardOptions): Koa.Middleware {
  const assets = loadDashboardAssets();

  return async (context, next) => {
    if (context.method !== 'GET' && context.method !== 'HEAD') {
      return next();
    }

    const asset = context.path === SETTINGS_PATH ? settingsAsset(options) : assets.get(context.path);

    if (asset === undefined) {
      return next();
    }

    send(context, asset);
  };
}

/** Builds the page settings from the options, with their defaults. */
export function dashboardSettings(options: DashboardOptions): DashboardSettings {
  return {
    instruments: [...options.instruments()],
    wsPath: options.wsPath ?? '/ws',
    maxQueue: options.maxQueue ?? 1000,
  };
}

function settingsAsset(options: DashboardOptions): StaticAsset {
  return assetOf(Buffer.from(JSON.stringify(dashboardSettings(options))), 'application/json; charset=utf-8');
}

function send(context: Koa.Context, asset: StaticAsset): void {
  context.set('Cache-Control', 'no-cache');
  context.set('ETag', asset.etag);
  context.set('X-Content-Type-Options', 'nosniff');

  if (asset.contentType.startsWith('text/html')) {
    context.set('Content-Security-Policy', PAGE_POLICY);
  }

  if (context.get('If-None-Match') === asset.etag) {
    context.status = 304;
    return;
  }

  context.type = asset.contentType;
  context.body = asset.body;
}
