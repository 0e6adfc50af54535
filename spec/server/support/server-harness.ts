import { InProcessBus } from '../../../lib/bus/index.js';
import { silentLogger } from '../../../lib/observability/logger.js';
import { createMetricsRegistry, type Registry } from '../../../lib/observability/metrics.js';
import { createHttpServer, type HttpServer, type ServerOptionsInput } from '../../../lib/server/index.js';
import type { EventSerializer } from '../../../lib/server/index.js';
import { VirtualClock } from '../../../lib/time/clock.js';
import { fakePorts, type FakeState } from './fake-ports.js';

export interface Harness {
  readonly server: HttpServer;
  readonly bus: InProcessBus;
  readonly registry: Registry;
  readonly state: FakeState;
  readonly port: number;
  readonly base: string;
  close(): Promise<void>;
}

/** Starts a server with fake ports and a real bus on a loopback port the system picks. */
export async function startServer(
  options: ServerOptionsInput = {},
  state: Partial<FakeState> = {},
  serializer?: EventSerializer,
): Promise<Harness> {
  const bus = new InProcessBus(silentLogger());
  const registry = createMetricsRegistry();
  const fake = fakePorts(state);
  const server = createHttpServer({
    bus,
    logger: silentLogger(),
    metrics: registry,
    clock: new VirtualClock(Date.UTC(2024, 0, 1)),
    ports: fake.ports,
    options: { ...options, ws: { closeGraceMs: 200, ...options.ws } },
    serializer,
  });
  const { port } = await server.listen(0, '127.0.0.1');

  return {
    server,
    bus,
    registry,
    state: fake.state,
    port,
    base: `http://127.0.0.1:${port}`,
    close: async () => {
      await server.close();
      bus.close();
    },
  };
}

/** Sends a JSON request and returns the status, headers and parsed body. */
export async function request(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const init: RequestInit = { method, headers: { ...headers } };

  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
  }

  const response = await fetch(`${base}${path}`, init);
  const text = await response.text();

  return { status: response.status, headers: response.headers, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
}
