export { registerBusMetrics } from './bus-metrics.js';
export type { BusCounters, EventBus } from './event-bus.js';
export { InProcessBus } from './in-process-bus.js';
export { installUnhandledErrorHook } from './unhandled-errors.js';
