import { isLeft } from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { EpochMillis, formatValidationErrors, isEventType, PositiveInteger, refine, type EventType, type ValidationIssue } from '../../events/index.js';

const SubscriptionId = refine(t.string, (id) => id.length > 0 && id.length <= 64, 'SubscriptionId');

const EventTypeName = new t.Type<EventType, EventType, unknown>(
  'EventType',
  isEventType,
  (input, context) => (isEventType(input) ? t.success(input) : t.failure(input, context)),
  t.identity,
);

export const OverflowPolicy = t.keyof({ 'drop-oldest': null, 'keep-latest': null, disconnect: null }, 'OverflowPolicy');
export type OverflowPolicy = t.TypeOf<typeof OverflowPolicy>;

export const SubscribeFrame = t.intersection(
  [
    t.strict({ op: t.literal('subscribe'), id: SubscriptionId, types: t.array(EventTypeName) }),
    t.partial({
      /** MongoDB-style query on the envelope, checked by the filter compiler. */
      filter: t.unknown,
      /** Event time from which stored events are sent before live ones. */
      since: EpochMillis,
      policy: t.partial({ onOverflow: OverflowPolicy, key: t.string, maxQueue: PositiveInteger }),
    }),
  ],
  'SubscribeFrame',
);
export type SubscribeFrame = t.TypeOf<typeof SubscribeFrame>;

export const UnsubscribeFrame = t.strict({ op: t.literal('unsubscribe'), id: SubscriptionId }, 'UnsubscribeFrame');
export type UnsubscribeFrame = t.TypeOf<typeof UnsubscribeFrame>;

export const AuthFrame = t.strict({ op: t.literal('auth'), key: t.string }, 'AuthFrame');
export type AuthFrame = t.TypeOf<typeof AuthFrame>;

export type ClientFrame = SubscribeFrame | UnsubscribeFrame | AuthFrame;

const CODECS_BY_OP: Readonly<Record<string, t.Type<ClientFrame, unknown, unknown>>> = {
  subscribe: SubscribeFrame as t.Type<ClientFrame, unknown, unknown>,
  unsubscribe: UnsubscribeFrame as t.Type<ClientFrame, unknown, unknown>,
  auth: AuthFrame as t.Type<ClientFrame, unknown, unknown>,
};

export type FrameParse =
  | { readonly ok: true; readonly frame: ClientFrame }
  | { readonly ok: false; readonly code: string; readonly message: string; readonly id?: string; readonly issues?: ValidationIssue[] };

/** Parses a text frame from a client; the codec is chosen by `op`, so errors name that frame's fields. */
export function parseClientFrame(text: string): FrameParse {
  let value: unknown;

  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, code: 'invalid-json', message: `frame is not valid JSON: ${(error as Error).message}` };
  }

  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, code: 'invalid-frame', message: 'frame must be a JSON object with an "op" field' };
  }

  const record = value as Record<string, unknown>;
  const id = typeof record.id === 'string' ? record.id : undefined;
  const codec = typeof record.op === 'string' ? CODECS_BY_OP[record.op] : undefined;

  if (codec === undefined) {
    return { ok: false, code: 'unknown-op', message: `unknown op ${JSON.stringify(record.op)}; expected subscribe, unsubscribe or auth`, id };
  }

  const result = codec.decode(value);

  if (isLeft(result)) {
    const issues = formatValidationErrors(result.left);
    const summary = issues.map((issue) => `${issue.path}: expected ${issue.expected}, received ${issue.received}`).join('; ');

    return { ok: false, code: 'invalid-frame', message: `invalid ${record.op} frame: ${summary}`, id, issues };
  }

  return { ok: true, frame: result.right };
}
