import { defer, type OperatorFunction } from 'rxjs';
import { filter, map } from 'rxjs/operators';
import type { AnyEvent, ForecastEvent, SignalEvent } from '../events/index.js';
import { defineStageKind } from '../pipeline/stage-kind.js';
import { SignalMapper } from './signal-mapper.js';
import { SignalSettings } from './signal-settings.js';

/** The `signal` stage kind: forecasts in, target positions out. */
export const signalStageKind = defineStageKind<SignalSettings>({
  kind: 'signal',
  description: 'maps each forecast to a target position by volatility targeting and regimes; emits only changes of at least minChange',
  settings: SignalSettings,
  takes: ['forecast'],
  emits: ['signal'],
  create(settings, context): OperatorFunction<AnyEvent, AnyEvent> {
    const source = `pipeline:${context.pipelineId}/${context.stageName}`;

    // One mapper per subscription, so the same compiled stage can run twice without sharing targets.
    return (events) =>
      defer(() => {
        const mapper = new SignalMapper(settings, { source, now: () => context.clock.now() });

        return events.pipe(
          filter((event): event is ForecastEvent => event.type === 'forecast'),
          map((forecast) => mapper.signalFor(forecast)),
          filter((signal): signal is SignalEvent => signal !== null),
        );
      });
  },
});
