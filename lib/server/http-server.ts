import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Koa from 'koa';
import { registerBusMetrics, type EventBus } from '../bus/index.js';
import type { Logger } from '../observability/logger.js';
import type { Registry } from '../observability/metrics.js';
import type { Clock } from '../time/clock.js';
import { ApiKeyCheck } from './auth/api-key-check.js';
import { createApp } from './http/create-app.js';
import type { ServerPorts } from './ports/index.js';
import { ServerMetrics } from './server-metrics.js';
import { resolveServerOptions, type ServerOptionsInput } from './server-options.js';
import { createJsonSerializer, type EventSerializer } from './ws/event-serializer.js';
import { WebSocketGateway } from './ws/gateway.js';

export interface HttpServerDeps {
  readonly bus: EventBus;
  readonly logger: Logger;
  readonly metrics: Registry;
  readonly clock: Clock;
  readonly ports: ServerPorts;
  readonly options?: ServerOptionsInput;
  /** Serializes events for WebSocket clients; JSON.stringify unless set. */
  readonly serializer?: EventSerializer;
}

/** The REST API and the WebSocket gateway on one port. */
export interface HttpServer {
  listen(port: number, host: string): Promise<{ port: number }>;
  /** Closes WebSocket sessions with 1001, stops the heartbeat and the listener, and ends idle connections. */
  close(): Promise<void>;
  readonly app: Koa;
  readonly gateway: WebSocketGateway;
}

/**
 * Builds the server. It serves `/health` as soon as it listens, while `/ready` and predict
 * return 503 until the readiness port reports the models loaded.
 */
export function createHttpServer(deps: HttpServerDeps): HttpServer {
  const options = resolveServerOptions(deps.options);
  const keys = new ApiKeyCheck(options.apiKeys);
  const metrics = new ServerMetrics(deps.metrics);
  const logger = deps.logger.child({ component: 'server' });

  registerBusMetricsOnce(deps.bus, deps.metrics);

  const app = createApp({ ports: deps.ports, bus: deps.bus, clock: deps.clock, logger, options, metrics, keys, registry: deps.metrics });
  const gateway = new WebSocketGateway({
    bus: deps.bus,
    events: deps.ports.events,
    keys,
    options: options.ws,
    metrics,
    logger,
    clock: deps.clock,
    serializer: deps.serializer ?? createJsonSerializer(),
  });
  const server = createServer(app.callback());

  metrics.readGatewayFrom(() => gateway.stats());
  server.on('upgrade', (request, socket, head) => {
    // Node leaves no 'error' listener on an upgraded socket, and an 'error' emitted without a
    // listener is thrown. So a client that resets while its upgrade is rejected would stop the engine.
    socket.on('error', (error) => logger.debug({ err: error }, 'WebSocket upgrade socket failed'));
    gateway.handleUpgrade(request, socket, head);
  });
  server.on('clientError', (error, socket) => {
    logger.debug({ err: error }, 'malformed HTTP request');
    socket.destroy();
  });

  return {
    app,
    gateway,
    listen: (port, host) => listen(server, port, host, logger),
    close: () => close(server, gateway, logger),
  };
}

/** Registers the bus metrics unless the engine already did, because registering twice throws. */
function registerBusMetricsOnce(bus: EventBus, registry: Registry): void {
  if (registry.getSingleMetric('tickflow_bus_published_total') === undefined) {
    registerBusMetrics(bus, registry);
  }
}

function listen(server: Server, port: number, host: string, logger: Logger): Promise<{ port: number }> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);

      const address = server.address() as AddressInfo;

      logger.info({ host, port: address.port }, 'HTTP server listening');
      resolve({ port: address.port });
    });
  });
}

async function close(server: Server, gateway: WebSocketGateway, logger: Logger): Promise<void> {
  await gateway.close();

  const stopped = new Promise<void>((resolve) => server.close(() => resolve()));

  server.closeAllConnections();
  await stopped;
  logger.info('HTTP server stopped');
}
