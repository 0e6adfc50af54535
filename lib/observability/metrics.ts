import { collectDefaultMetrics, Registry } from 'prom-client';

export { Registry } from 'prom-client';

/**
 * Creates a metrics registry of its own, never prom-client's global one, so two engines in one
 * process (as in tests) do not collide on metric names.
 */
export function createMetricsRegistry(options: { readonly defaultMetrics?: boolean } = {}): Registry {
  const registry = new Registry();

  if (options.defaultMetrics === true) {
    collectDefaultMetrics({ register: registry, prefix: 'tickflow_' });
  }

  return registry;
}
