/**
 * Builders of the frames the server sends. Event frames are built around the event's JSON,
 * which is serialized once per broadcast: only the subscription id differs between sessions.
 */

export function ackFrame(id: string, extra: Readonly<Record<string, unknown>> = {}): string {
  return JSON.stringify({ op: 'ack', id, ...extra });
}

export function errorFrame(code: string, message: string, id?: string, details?: Readonly<Record<string, unknown>>): string {
  return JSON.stringify({ op: 'error', ...(id === undefined ? {} : { id }), code, message, ...(details === undefined ? {} : { details }) });
}

export function laggedFrame(id: string, dropped: number): string {
  return JSON.stringify({ op: 'lagged', id, dropped });
}

/** The part of an event frame before the event: `{"op":"event","id":"s1","event":`. */
export function eventFramePrefix(id: string): string {
  return `{"op":"event","id":${JSON.stringify(id)},"event":`;
}

/** Completes an event frame from its prefix and the event's JSON. */
export function eventFrame(prefix: string, eventJson: string): string {
  return `${prefix}${eventJson}}`;
}
