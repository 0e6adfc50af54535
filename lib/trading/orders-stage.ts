import { defer, type OperatorFunction } from 'rxjs';
import { filter, map } from 'rxjs/operators';
import type { AnyEvent, SignalEvent } from '../events/index.js';
import { defineStageKind } from '../pipeline/stage-kind.js';
import { OrderPlanner } from './order-planner.js';
import { OrdersSettings } from './orders-settings.js';
import { RISK_CONTROL } from './risk-control.js';

/** The `orders` stage kind: changes of target position become orders that passed every risk limit. */
export const ordersStageKind = defineStageKind<OrdersSettings>({
  kind: 'orders',
  description: 'turns each change of target position into a market or limit order, checked against the risk limits; breaches become order.rejected',
  settings: OrdersSettings,
  takes: ['signal'],
  emits: ['order', 'order.rejected'],
  create(settings, context): OperatorFunction<AnyEvent, AnyEvent> {
    const source = `pipeline:${context.pipelineId}/${context.stageName}`;
    const riskControl = context.services.get(RISK_CONTROL);

    return (events) =>
      defer(() => {
        const planner = new OrderPlanner(settings, { source, now: () => context.clock.now() }, riskControl);

        return events.pipe(
          filter((event): event is SignalEvent => event.type === 'signal'),
          map((signal) => planner.plan(signal)),
          filter((event): event is NonNullable<typeof event> => event !== null),
        );
      });
  },
});
