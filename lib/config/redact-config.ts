import type { EngineConfig } from './engine-config.js';

/** Returns the configuration fit for a log line: API keys are replaced by their count. */
export function redactConfig(config: EngineConfig): Record<string, unknown> {
  return { ...config, auth: { apiKeys: `(${config.auth.apiKeys.length} keys)` } };
}
