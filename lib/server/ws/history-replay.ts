import type { AnyEvent } from '../../events/index.js';
import { hasMorePages, type EventQueryPort } from '../ports/index.js';
import type { EventSerializer } from './event-serializer.js';
import type { GatewaySubscription } from './gateway-subscription.js';
import { eventFrame } from './server-frames.js';
import type { Session } from './session.js';

/** Extra passes over the log after the live buffer overflowed, and the pause before each. */
const CATCH_UP_PASSES = 50;
const CATCH_UP_DELAY_MS = 20;

/**
 * Sends the stored events of a `since` subscription, page by page, then switches it to live
 * events. The subscription is already attached to the bus, buffering live events, so nothing
 * published meanwhile is missed; events found in both are sent once, from the history. Each
 * page waits for the session to drain, so a slow client paces the reading of the log.
 *
 * When events arrive faster than the history is sent, the live buffer drops its oldest
 * events. Those are in the log, or will be once its writer commits the current batch, so the
 * history keeps reading from where it stopped until it reaches the oldest buffered event. Only
 * if it never does are the dropped events reported to the client as lagged.
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
  let catchUpPasses = 0;

  for (;;) {
    const page = await events.query({ types: subscription.types, from: subscription.since, limit: pageSize, cursor });

    if (!session.isOpen || subscription.disposed) {
      return sent;
    }

    sent += sendPage(session, subscription, serializer, page.events);

    const next = page.nextCursor ?? undefined;
    const moved = next !== undefined && next !== cursor;

    cursor = next ?? cursor;
    await session.whenDrained();

    // A cursor that does not move would loop forever; treat it as the last page.
    if (hasMorePages(page) && moved) {
      continue;
    }

    if (!subscription.hasGapBeforeLive() || cursor === undefined || catchUpPasses >= CATCH_UP_PASSES) {
      break;
    }

    catchUpPasses++;
    await new Promise((resolve) => setTimeout(resolve, CATCH_UP_DELAY_MS));
  }

  subscription.goLive();

  return sent;
}

function sendPage(session: Session, subscription: GatewaySubscription, serializer: EventSerializer, events: readonly AnyEvent[]): number {
  let sent = 0;

  for (const event of events) {
    if (subscription.matches(event)) {
      subscription.noteHistoryEvent(event.id);
      session.deliver(subscription, Buffer.from(eventFrame(subscription.prefix, serializer.serialize(event))), event);
      sent++;
    }
  }

  return sent;
}
