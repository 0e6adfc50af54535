import type { Context } from 'koa';
import type { EventBus } from '../../bus/index.js';
import type { Logger } from '../../observability/logger.js';
import type { Clock } from '../../time/clock.js';
import type { ServerPorts } from '../ports/index.js';
import type { ServerMetrics } from '../server-metrics.js';
import type { ServerOptions } from '../server-options.js';

/** What every route gets. */
export interface ApiDeps {
  readonly ports: ServerPorts;
  readonly bus: EventBus;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly options: ServerOptions;
  readonly metrics: ServerMetrics;
  /** Reads the request body as JSON within the configured size and time limits. */
  readJson(ctx: Context): Promise<unknown>;
}
