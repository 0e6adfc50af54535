import type { Subscription } from 'rxjs';
import type { EventBus } from '../../bus/index.js';
import { toError } from '../../errors.js';
import type { AnyEvent, EventType } from '../../events/index.js';
import type { Logger } from '../../observability/logger.js';
import type { EventSerializer } from './event-serializer.js';
import type { GatewaySubscription } from './gateway-subscription.js';
import { eventFrame } from './server-frames.js';

interface TypeEntry {
  readonly subscriptions: Set<GatewaySubscription>;
  readonly busSubscription: Subscription;
}

/**
 * Delivers bus events to gateway subscriptions. It keeps one bus subscription per event type
 * while any gateway subscription wants that type, and drops it when the last one goes. Each
 * event is serialized once, at the first match; each distinct subscription id then gets one
 * frame buffer that every session using that id shares.
 */
export class EventFanout {
  private readonly byType = new Map<EventType, TypeEntry>();

  constructor(
    private readonly bus: EventBus,
    private readonly serializer: EventSerializer,
    private readonly logger: Logger,
    private readonly onDeliveryError: (subscription: GatewaySubscription, error: Error) => void,
  ) {}

  add(subscription: GatewaySubscription): void {
    for (const type of subscription.types) {
      this.entryOf(type).subscriptions.add(subscription);
    }
  }

  remove(subscription: GatewaySubscription): void {
    for (const type of subscription.types) {
      const entry = this.byType.get(type);

      if (entry === undefined) {
        continue;
      }

      entry.subscriptions.delete(subscription);

      if (entry.subscriptions.size === 0) {
        entry.busSubscription.unsubscribe();
        this.byType.delete(type);
      }
    }
  }

  /** Detaches every bus subscription. */
  dispose(): void {
    for (const entry of this.byType.values()) {
      entry.busSubscription.unsubscribe();
    }

    this.byType.clear();
  }

  private entryOf(type: EventType): TypeEntry {
    let entry = this.byType.get(type);

    if (entry === undefined) {
      const subscriptions = new Set<GatewaySubscription>();
      const busSubscription = this.bus.subscribe(type, `ws-gateway:${type}`, (event) => this.broadcast(subscriptions, event as AnyEvent));

      entry = { subscriptions, busSubscription };
      this.byType.set(type, entry);
    }

    return entry;
  }

  /** Catches errors per subscription, because the bus detaches a handler that throws, which would cut off every session. */
  private broadcast(subscriptions: ReadonlySet<GatewaySubscription>, event: AnyEvent): void {
    let json: string | undefined;
    let frames: Map<string, Buffer> | undefined;

    for (const subscription of subscriptions) {
      try {
        if (!subscription.matches(event)) {
          continue;
        }

        json ??= this.serializer.serialize(event);
        frames ??= new Map();

        let frame = frames.get(subscription.id);

        if (frame === undefined) {
          frame = Buffer.from(eventFrame(subscription.prefix, json));
          frames.set(subscription.id, frame);
        }

        subscription.offer(frame, event);
      } catch (error) {
        this.logger.error({ err: toError(error), eventId: event.id, subscription: subscription.id }, 'WebSocket delivery failed');
        this.onDeliveryError(subscription, toError(error));
      }
    }
  }
}
