import type Router from '@koa/router';
import type Koa from 'koa';

/**
 * Mounts routes or static files beside the API, such as the dashboard page. They are added
 * after the API routes and are not behind the API key, so a page can load and then ask for one.
 */
export type ExtraRoutesPort = (target: { readonly app: Koa; readonly router: Router }) => void;
