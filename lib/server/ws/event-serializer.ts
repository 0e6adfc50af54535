import type { AnyEvent } from '../../events/index.js';

/** Turns an event into the JSON text sent to clients. The gateway calls it once per event and broadcast. */
export interface EventSerializer {
  serialize(event: AnyEvent): string;
}

export function createJsonSerializer(): EventSerializer {
  return { serialize: (event) => JSON.stringify(event) };
}
