import { hasMorePages, type EventQueryPort } from '../ports/index.js';
import type { EventSerializer } from './event-serializer.js';
import type { GatewaySubscription } from './gateway-subscription.js';
import { eventFrame } from './server-frames.js';
import type { Session } from './session.js';

/**
 * Sends the stored events of a `since` subscription, page by page, then switches it to live
 * events. The subscription is already attached to the bus, buffering live events, so nothing
 * published meanwhile is missed; events found in both are sent once, from the history. Each
 * page waits for the session to drain, so a slow client paces the reading of the log.
 */
export async function replayHistory(
  session: Session,
  subscription: GatewaySubscription,
  events: EventQueryPort,
  serializer: EventSerializer,
  pageSize: number,
): Promise<number> {
  let cursor: string | undefined;
  let sent = 0;

  do {
    const page = await events.query({ types: subscription.types, from: subscription.since, limit: pageSize, cursor });

    if (!session.isOpen || subscription.disposed) {
      return sent;
    }

    for (const event of page.events) {
      if (subscription.matches(event)) {
        subscription.noteHistoryEvent(event.id);
        session.deliver(subscription, Buffer.from(eventFrame(subscription.prefix, serializer.serialize(event))), event);
        sent++;
      }
    }

    const next = hasMorePages(page) ? (page.nextCursor ?? undefined) : undefined;

    // A cursor that does not move would loop forever; treat it as the last page.
    cursor = next === cursor ? undefined : next;
    await session.whenDrained();
  } while (cursor !== undefined);

  subscription.goLive();

  return sent;
}
