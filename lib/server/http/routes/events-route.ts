import type Router from '@koa/router';
import { EVENT_TYPES, isEventType, type EventType } from '../../../events/index.js';
import { hasMorePages } from '../../ports/index.js';
import type { ApiDeps } from '../api-deps.js';
import { checkRange, invalidParam, parseIntegerParam, parseTimeParam, singleParam } from '../query-params.js';

const MAX_LIMIT = 1000;

/** `GET /api/events`: one page of the event log, newest last, with the cursor that continues after it. */
export function registerEventsRoute(router: Router, deps: ApiDeps): void {
  router.get('/api/events', async (ctx) => {
    const types = parseTypes(singleParam(ctx.query, 'type'));
    const from = parseTimeParam('from', singleParam(ctx.query, 'from'));
    const to = parseTimeParam('to', singleParam(ctx.query, 'to'));
    const limit = parseIntegerParam('limit', singleParam(ctx.query, 'limit'), { min: 1, max: MAX_LIMIT, fallback: 100 });

    checkRange(from, to);

    const page = await deps.ports.events.query({
      types,
      instrument: singleParam(ctx.query, 'instrument'),
      from,
      to,
      limit,
      cursor: singleParam(ctx.query, 'cursor'),
    });

    ctx.body = { events: page.events, nextCursor: page.nextCursor ?? null, more: hasMorePages(page) };
  });
}

/** Parses `type=order` or `type=order,fill`. */
function parseTypes(text: string | undefined): EventType[] | undefined {
  if (text === undefined) {
    return undefined;
  }

  const types = text.split(',').map((type) => type.trim());
  const unknown = types.find((type) => !isEventType(type));

  if (unknown !== undefined) {
    throw invalidParam('type', `event types from ${EVENT_TYPES.join(', ')}`, unknown);
  }

  return types as EventType[];
}
