import { Histogram, type Registry } from 'prom-client';

/**
 * Returns the batch callback of the forecaster, recording each predict call's size and
 * duration. It runs once per batch, not per forecast, so a labelled histogram costs little.
 */
export function inferenceMetrics(registry: Registry): (modelId: string, size: number, seconds: number) => void {
  const sizes = new Histogram({
    name: 'tickflow_inference_batch_size',
    help: 'Forecasts stacked into one predict call',
    labelNames: ['model'],
    buckets: [1, 2, 4, 8, 16, 32, 64, 128],
    registers: [registry],
  });
  const durations = new Histogram({
    name: 'tickflow_inference_seconds',
    help: 'Duration of one predict call',
    labelNames: ['model'],
    buckets: [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [registry],
  });

  return (modelId, size, seconds) => {
    sizes.observe({ model: modelId }, size);
    durations.observe({ model: modelId }, seconds);
  };
}
