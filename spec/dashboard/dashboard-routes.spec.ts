import Router from '@koa/router';
import { expect } from 'chai';
import Koa from 'koa';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDashboardRoutes, dashboardMiddleware, loadDashboardAssets } from '../../lib/dashboard/index.js';
import type { DashboardSettings } from '../../lib/dashboard/index.js';
import type { ExtraRoutesPort } from '../../lib/server/index.js';

describe('dashboard routes', () => {
  let server: Server;
  let base: string;
  let instruments: string[];

  async function serve(app: Koa): Promise<void> {
    server = createServer(app.callback());
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  beforeEach(() => {
    instruments = ['SPX'];
  });

  afterEach(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  describe('dashboardMiddleware', () => {
    beforeEach(async () => {
      const app = new Koa();
      app.use(dashboardMiddleware({ instruments: () => instruments, maxQueue: 250 }));
      app.use((context) => {
        context.status = 404;
        context.body = 'next';
      });
      await serve(app);
    });

    it('serves the page at /', async () => {
      const response = await fetch(`${base}/`);
      const text = await response.text();

      expect(response.status).to.equal(200);
      expect(response.headers.get('content-type')).to.equal('text/html; charset=utf-8');
      expect(response.headers.get('content-security-policy')).to.contain("connect-src 'self'");
      expect(text).to.contain('dashboard/dashboard.js');
    });

    it('serves the chart library', async () => {
      const response = await fetch(`${base}/dashboard/lightweight-charts.standalone.production.js`);
      const text = await response.text();

      expect(response.status).to.equal(200);
      expect(response.headers.get('content-type')).to.equal('text/javascript; charset=utf-8');
      expect(text).to.contain('Lightweight Charts');
    });

    it('reads instruments on each request', async () => {
      const first = await (await fetch(`${base}/dashboard/config.json`)).json();
      instruments.push('GOOG');
      const second = (await (await fetch(`${base}/dashboard/config.json`)).json()) as DashboardSettings;

      expect(first).to.deep.equal({ instruments: ['SPX'], wsPath: '/ws', maxQueue: 250 });
      expect(second.instruments).to.deep.equal(['SPX', 'GOOG']);
    });

    it('answers 304 to a matching ETag', async () => {
      const first = await fetch(`${base}/dashboard/dashboard.css`);
      const etag = first.headers.get('etag') ?? '';
      const second = await fetch(`${base}/dashboard/dashboard.css`, { headers: { 'If-None-Match': etag } });

      expect(etag).to.match(/^".+"$/);
      expect(second.status).to.equal(304);
    });

    it('answers HEAD without a body', async () => {
      const response = await fetch(`${base}/dashboard/dashboard.js`, { method: 'HEAD' });

      expect(response.status).to.equal(200);
      expect(await response.text()).to.equal('');
    });

    it('passes other paths on', async () => {
      const response = await fetch(`${base}/api/positions`);

      expect(response.status).to.equal(404);
      expect(await response.text()).to.equal('next');
    });

    it('passes other methods on', async () => {
      const response = await fetch(`${base}/`, { method: 'POST' });

      expect(response.status).to.equal(404);
    });
  });

  describe('createDashboardRoutes', () => {
    it('adds every asset to a router', async () => {
      const app = new Koa();
      const router = new Router();
      const mount: ExtraRoutesPort = createDashboardRoutes({ instruments: () => ['SPX'], wsPath: '/stream' });
      mount({ app, router });
      app.use(router.routes());
      await serve(app);

      const page = await fetch(`${base}/`);
      const settings = (await (await fetch(`${base}/dashboard/config.json`)).json()) as DashboardSettings;

      expect(page.status).to.equal(200);
      expect(settings.wsPath).to.equal('/stream');
    });
  });
});

describe('loadDashboardAssets', () => {
  it('lists the page and its files', () => {
    const paths = [...loadDashboardAssets().keys()].sort();

    expect(paths).to.deep.equal([
      '/',
      '/dashboard/dashboard.css',
      '/dashboard/dashboard.js',
      '/dashboard/instrument-chart.js',
      '/dashboard/lightweight-charts.standalone.production.js',
      '/dashboard/tickflow-socket.js',
    ]);
  });
});
