import { lstmStageKind } from '../model/lstm-stage.js';
import { StageRegistry } from '../pipeline/stage-registry.js';
import { passthroughStage } from '../pipeline/stages/passthrough.js';
import { ordersStageKind } from '../trading/orders-stage.js';
import { signalStageKind } from '../trading/signal-stage.js';

/**
 * Builds the registry of every stage kind a pipeline file may `use:`. It lives outside
 * `lib/pipeline/` because the kinds come from the model and trading modules, which themselves
 * depend on the pipeline's stage contract.
 */
export function defaultStageRegistry(): StageRegistry {
  const registry = new StageRegistry();
  registry.register(passthroughStage);
  registry.register(lstmStageKind);
  registry.register(signalStageKind);
  registry.register(ordersStageKind);

  return registry;
}
