import type { BarStorePort } from './bar-store-port.js';
import type { EventQueryPort } from './event-query-port.js';
import type { ExtraRoutesPort } from './extra-routes-port.js';
import type { ForecasterPort } from './forecaster-port.js';
import type { ModelReloadPort } from './model-reload-port.js';
import type { PositionsPort } from './positions-port.js';
import type { ReadinessPort } from './readiness-port.js';
import type { RiskSwitchPort } from './risk-switch-port.js';
import type { SignalMapperPort } from './signal-mapper-port.js';

/** Everything the routes and the gateway need from the rest of the engine. */
export interface ServerPorts {
  readonly forecaster: ForecasterPort;
  readonly signals: SignalMapperPort;
  readonly events: EventQueryPort;
  readonly bars: BarStorePort;
  readonly positions: PositionsPort;
  readonly risk: RiskSwitchPort;
  readonly models: ModelReloadPort;
  readonly readiness: ReadinessPort;
  readonly extraRoutes?: ExtraRoutesPort;
}
