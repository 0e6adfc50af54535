import type { EventType } from '../events/index.js';
import { sourceEmits, SourceSettings } from '../sources/index.js';
import type { StageSpec } from './pipeline-spec.js';
import type { StageRegistry } from './stage-registry.js';

export interface ChainProblem {
  readonly path: string;
  readonly message: string;
  readonly expected: string;
  readonly received: string;
}

/**
 * Checks that each stage takes at least one event type that the stage before it (or the source,
 * for the first stage) emits. The message names both stages.
 */
export function checkStageChain(source: SourceSettings, stages: readonly StageSpec[], registry: StageRegistry): ChainProblem[] {
  const problems: ChainProblem[] = [];
  let previousEmits: readonly EventType[] = sourceEmits(source);
  let previousLabel = `the ${source.type} source`;

  for (const stage of stages) {
    const kind = registry.get(stage.kind);

    if (kind === undefined) {
      return problems;
    }

    if (!kind.takes.some((type) => previousEmits.includes(type))) {
      problems.push({
        path: `stages[${stage.index}].use`,
        message: `stage "${stage.name}" (${stage.kind}, stages[${stage.index}]) takes ${kind.takes.join(', ')}, but ${previousLabel} emits only ${previousEmits.join(', ')}`,
        expected: kind.takes.join(' | '),
        received: previousEmits.join(', '),
      });
    }

    previousEmits = kind.emits;
    previousLabel = `the stage before it, "${stage.name}" (${stage.kind}, stages[${stage.index}]),`;
  }

  return problems;
}
