import { isLeft } from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { EpochMillis, formatValidationErrors, isEventType, PositiveInteger, refine, type EventType } from '../../events/index.js';
import { exceedsDepth } from '../json-depth.js';
import { describeUnknownField, findUnknownField, unknownFieldDetails } from '../unknown-field.js';

const SubscriptionId = refine(t.string, (id) => id.length > 0 && id.length <= 64, 'SubscriptionId');

const EventTypeName = new t.Type<EventType, EventType, unknown>(
  'EventType',
  isEventType,
  (input, context) => (isEventType(input) ? t.success(input) : t.failure(input, context)),
  t.identity,
);

export const OverflowPolicy = t.keyof({ 'drop-oldest': null, 'keep-latest': null, disconnect: null }, 'OverflowPolicy');
export type OverflowPolicy = t.TypeOf<typeof OverflowPolicy>;

const SubscribePolicy = t.partial({ onOverflow: OverflowPolicy, key: t.string, maxQueue: PositiveInteger }, 'SubscribePolicy');
const SubscribeRequired = t.strict({ op: t.literal('subscribe'), id: SubscriptionId, types: t.array(EventTypeName) });
const SubscribeOptional = t.partial({
  /** MongoDB-style query on the envelope, checked by the filter compiler. */
  filter: t.unknown,
  /** Event time from which stored events are sent before live ones. */
  since: EpochMillis,
  policy: SubscribePolicy,
});

export const SubscribeFrame = t.intersection([SubscribeRequired, SubscribeOptional], 'SubscribeFrame');
export type SubscribeFrame = t.TypeOf<typeof SubscribeFrame>;

export const UnsubscribeFrame = t.strict({ op: t.literal('unsubscribe'), id: SubscriptionId }, 'UnsubscribeFrame');
export type UnsubscribeFrame = t.TypeOf<typeof UnsubscribeFrame>;

export const AuthFrame = t.strict({ op: t.literal('auth'), key: t.string }, 'AuthFrame');
export type AuthFrame = t.TypeOf<typeof AuthFrame>;

export type ClientFrame = SubscribeFrame | UnsubscribeFrame | AuthFrame;

interface FrameKind {
  readonly codec: t.Type<ClientFrame, unknown, unknown>;
  /** Keys the frame may have; any other key is rejected with `unknown-field`. */
  readonly keys: readonly string[];
}

/** A Map, so an op such as "constructor" or "__proto__" finds nothing instead of an Object.prototype member. */
const FRAME_KINDS: ReadonlyMap<string, FrameKind> = new Map([
  ['subscribe', { codec: SubscribeFrame as t.Type<ClientFrame, unknown, unknown>, keys: [...Object.keys(SubscribeRequired.type.props), ...Object.keys(SubscribeOptional.props)] }],
  ['unsubscribe', { codec: UnsubscribeFrame as t.Type<ClientFrame, unknown, unknown>, keys: Object.keys(UnsubscribeFrame.type.props) }],
  ['auth', { codec: AuthFrame as t.Type<ClientFrame, unknown, unknown>, keys: Object.keys(AuthFrame.type.props) }],
]);

const POLICY_KEYS = Object.keys(SubscribePolicy.props);

/**
 * Nesting allowed in a frame field other than `filter`, whose depth the filter compiler bounds
 * with a message of its own. Describing a value nested thousands of levels deep in an error
 * message would overflow the call stack.
 */
const MAX_FIELD_DEPTH = 4;
const MAX_OP_LENGTH = 40;

export type FrameParse =
  | { readonly ok: true; readonly frame: ClientFrame }
  | {
      readonly ok: false;
      readonly code: string;
      readonly message: string;
      readonly id?: string;
      readonly details?: Readonly<Record<string, unknown>>;
    };

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
  const tooDeep = findTooDeepField(record);

  if (tooDeep !== undefined) {
    return { ok: false, code: 'invalid-frame', message: `field ${JSON.stringify(tooDeep)} is nested more than ${MAX_FIELD_DEPTH} levels deep`, id };
  }

  const kind = typeof record.op === 'string' ? FRAME_KINDS.get(record.op) : undefined;

  if (kind === undefined) {
    return { ok: false, code: 'unknown-op', message: `unknown op ${describeOp(record.op)}; expected subscribe, unsubscribe or auth`, id };
  }

  const unknownField = findUnknownField(record, kind.keys) ?? findUnknownField(record.policy, POLICY_KEYS, 'policy');

  if (unknownField !== undefined) {
    return { ok: false, code: 'unknown-field', message: `invalid ${String(record.op)} frame: ${describeUnknownField(unknownField)}`, id, details: unknownFieldDetails(unknownField) };
  }

  const result = kind.codec.decode(value);

  if (isLeft(result)) {
    const issues = formatValidationErrors(result.left);
    const summary = issues.map((issue) => `${issue.path}: expected ${issue.expected}, received ${issue.received}`).join('; ');

    return { ok: false, code: 'invalid-frame', message: `invalid ${record.op} frame: ${summary}`, id, details: { issues } };
  }

  return { ok: true, frame: result.right };
}

/** Returns the first field other than `filter` nested deeper than the limit. */
function findTooDeepField(record: Record<string, unknown>): string | undefined {
  return Object.keys(record).find((key) => key !== 'filter' && exceedsDepth(record[key], MAX_FIELD_DEPTH));
}

function describeOp(op: unknown): string {
  if (typeof op !== 'string') {
    return op === undefined ? '(missing)' : `of type ${Array.isArray(op) ? 'array' : op === null ? 'null' : typeof op}`;
  }

  return JSON.stringify(op.length > MAX_OP_LENGTH ? `${op.slice(0, MAX_OP_LENGTH)}...` : op);
}
