import { TickflowError } from '../errors.js';

/** True when a model output can become a forecast: a finite volatility above zero. */
export function isUsableVolatility(volatility: number): boolean {
  return Number.isFinite(volatility) && volatility > 0;
}

/**
 * Builds the error for a model whose output is not a finite volatility above zero. NaN and
 * Infinity serialize as null and fail the forecast codec downstream, so they stop here, and the
 * value goes into the details as text for the same reason.
 */
export function modelOutputInvalid(modelId: string, volatility: number, where: string, details: Record<string, unknown> = {}): TickflowError {
  return new TickflowError(
    'model-output-invalid',
    `model "${modelId}" gave volatility ${String(volatility)} ${where}: a forecast needs a finite volatility above zero, so its weights are damaged or overflow; retrain it with \`tickflow train --instrument ${modelId}\` or restore its folder`,
    { modelId, volatility: String(volatility), ...details },
  );
}
