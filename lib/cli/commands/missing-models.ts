import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { lstmStageKind, lstmStageModelIds, LstmStageSettings } from '../../model/index.js';
import type { PipelineProblem, PipelineSpec } from '../../pipeline/index.js';

/**
 * Lists the `lstm` stages whose model has no `meta.json` under the models folder, one problem
 * per stage and model, pointing at the stage's `use:` line. `tickflow run` would stop at
 * startup on each of them.
 */
export function findMissingModels(spec: PipelineSpec, modelsDir: string): PipelineProblem[] {
  const problems: PipelineProblem[] = [];
  const instruments = spec.instruments.map((instrument) => instrument.id);

  for (const stage of spec.stages) {
    if (stage.kind !== lstmStageKind.kind || !LstmStageSettings.is(stage.settings)) {
      continue;
    }

    for (const modelId of lstmStageModelIds(stage.settings, instruments)) {
      const folder = join(modelsDir, modelId);

      if (!existsSync(join(folder, 'meta.json'))) {
        problems.push({
          file: spec.file,
          line: stage.line,
          column: 1,
          path: `stages[${stage.index}].model`,
          message: `model "${modelId}" not found: ${folder}/meta.json is missing; train it with \`tickflow train --instrument ${modelId}\`, fix the model setting, or pass --models-dir`,
        });
      }
    }
  }

  return problems;
}
