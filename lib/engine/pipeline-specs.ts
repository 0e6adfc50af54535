import { TickflowError } from '../errors.js';
import { formatProblem, loadPipelineFile, stageSettingsOf, type PipelineSpec, type StageRegistry } from '../pipeline/index.js';
import type { OrdersSettings, SignalSettings } from '../trading/index.js';

/** Loads and validates every pipeline file, or throws `invalid-pipeline` listing every problem as `file:line:col`. */
export async function loadPipelineSpecs(files: readonly string[], registry: StageRegistry): Promise<PipelineSpec[]> {
  const specs: PipelineSpec[] = [];
  const problems: string[] = [];

  for (const file of files) {
    const result = await loadPipelineFile(file, registry);

    if (result.ok) {
      specs.push(result.spec);
    } else {
      problems.push(...result.problems.map(formatProblem));
    }
  }

  if (problems.length > 0) {
    throw new TickflowError('invalid-pipeline', `invalid pipeline:\n  ${problems.join('\n  ')}`, { files, problems });
  }

  return specs;
}

/** Returns the settings of the first `signal` stage that covers each instrument. */
export function signalSettingsByInstrument(specs: readonly PipelineSpec[]): Map<string, SignalSettings> {
  const byInstrument = new Map<string, SignalSettings>();

  for (const spec of specs) {
    const [first] = stageSettingsOf<SignalSettings>(spec, 'signal');

    for (const instrument of spec.instruments) {
      if (first !== undefined && !byInstrument.has(instrument.id)) {
        byInstrument.set(instrument.id, first.settings);
      }
    }
  }

  return byInstrument;
}

/** Returns the account capital of the first `orders` stage, the paper venue's starting cash. */
export function accountCapital(specs: readonly PipelineSpec[]): number | undefined {
  for (const spec of specs) {
    const [first] = stageSettingsOf<OrdersSettings>(spec, 'orders');

    if (first !== undefined) {
      return first.settings.capital;
    }
  }

  return undefined;
}

/** Returns every instrument named by any pipeline, in order of first appearance. */
export function instrumentsOf(specs: readonly PipelineSpec[]): string[] {
  return [...new Set(specs.flatMap((spec) => spec.instruments.map((instrument) => instrument.id)))];
}
