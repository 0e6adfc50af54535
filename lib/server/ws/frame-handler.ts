import type { RawData } from 'ws';
import { TickflowError, toError } from '../../errors.js';
import type { EventType } from '../../events/index.js';
import type { Clock } from '../../time/clock.js';
import type { ApiKeyCheck } from '../auth/api-key-check.js';
import type { EventQueryPort } from '../ports/index.js';
import type { WebSocketOptions } from '../server-options.js';
import { parseClientFrame, type SubscribeFrame } from './client-frames.js';
import type { EventFanout } from './event-fanout.js';
import type { EventSerializer } from './event-serializer.js';
import { checkFieldPath, compileFilter } from './filter-compiler.js';
import { GatewaySubscription } from './gateway-subscription.js';
import { replayHistory } from './history-replay.js';
import { ackFrame, errorFrame } from './server-frames.js';
import type { Session } from './session.js';

export interface FrameHandlerDeps {
  readonly options: WebSocketOptions;
  readonly keys: ApiKeyCheck;
  readonly fanout: EventFanout;
  readonly events: EventQueryPort;
  readonly serializer: EventSerializer;
  readonly clock: Clock;
}

/** Handles the frames a client sends: auth, subscribe and unsubscribe. */
export class FrameHandler {
  constructor(private readonly deps: FrameHandlerDeps) {}

  handle(session: Session, data: RawData, isBinary: boolean): void {
    if (isBinary) {
      this.reject(session, 'invalid-frame', 'binary frames are not accepted; send JSON text frames');
      return;
    }

    const parsed = parseClientFrame(rawText(data));

    if (!parsed.ok) {
      this.reject(session, parsed.code, parsed.message, parsed.id, parsed.details);
      return;
    }

    const frame = parsed.frame;

    if (frame.op === 'auth') {
      this.authenticate(session, frame.key);
      return;
    }

    if (!session.authenticated) {
      session.sendControl(errorFrame('unauthorized', 'send {"op": "auth", "key": "..."} as the first frame', frame.id));
      session.close(1008, 'authentication required', 'unauthorized');
      return;
    }

    if (frame.op === 'subscribe') {
      this.subscribe(session, frame);
      return;
    }

    this.unsubscribe(session, frame.id);
  }

  /** Releases a subscription: detaches it from the bus fan-out and drops its queued frames. */
  release(session: Session, subscription: GatewaySubscription): void {
    this.deps.fanout.remove(subscription);
    session.forgetQueue(subscription);
    subscription.dispose();
  }

  private authenticate(session: Session, key: string): void {
    if (!this.deps.keys.accepts(key)) {
      session.sendControl(errorFrame('unauthorized', 'invalid API key'));
      session.close(1008, 'invalid API key', 'unauthorized');
      return;
    }

    session.authenticated = true;
    clearTimeout(session.authTimer);
    session.authTimer = undefined;
    session.sendControl(JSON.stringify({ op: 'ack', auth: true }));
  }

  private subscribe(session: Session, frame: SubscribeFrame): void {
    let subscription: GatewaySubscription;

    try {
      subscription = this.createSubscription(session, frame);
    } catch (error) {
      const problem = error instanceof TickflowError ? error : new TickflowError('invalid-frame', toError(error).message);

      this.reject(session, problem.code, problem.message, frame.id, problem.details);
      return;
    }

    session.subscriptions.set(subscription.id, subscription);
    this.deps.fanout.add(subscription);
    session.sendControl(ackFrame(subscription.id));

    if (subscription.since !== undefined) {
      subscription.startReplay();
      void this.replay(session, subscription);
    }
  }

  private createSubscription(session: Session, frame: SubscribeFrame): GatewaySubscription {
    const options = this.deps.options;

    if (session.subscriptions.has(frame.id)) {
      throw new TickflowError('duplicate-subscription', `subscription ${frame.id} already exists; unsubscribe first or use another id`, { id: frame.id });
    }

    if (session.subscriptions.size >= options.maxSubscriptionsPerSession) {
      throw new TickflowError('too-many-subscriptions', `a session may hold at most ${options.maxSubscriptionsPerSession} subscriptions`, { limit: options.maxSubscriptionsPerSession });
    }

    const types = uniqueTypes(frame.types);
    const policy = frame.policy ?? {};
    const maxQueue = policy.maxQueue ?? options.defaultMaxQueue;
    const key = policy.key ?? 'instrument';

    if (maxQueue > options.maxQueueLimit) {
      throw new TickflowError('invalid-frame', `policy.maxQueue ${maxQueue} is above the limit of ${options.maxQueueLimit}`, { path: 'policy.maxQueue' });
    }

    checkFieldPath(key, types, 'policy.key');

    return new GatewaySubscription(session, {
      id: frame.id,
      types,
      filter: compileFilter(frame.filter, types),
      onOverflow: policy.onOverflow ?? 'drop-oldest',
      key,
      maxQueue,
      since: frame.since,
    });
  }

  private async replay(session: Session, subscription: GatewaySubscription): Promise<void> {
    try {
      await replayHistory(session, subscription, this.deps.events, this.deps.serializer, this.deps.options.historyPageSize);
    } catch (error) {
      session.logger.warn({ err: toError(error), session: session.id, subscription: subscription.id }, 'reading stored events for a subscription failed');
      session.subscriptions.delete(subscription.id);
      this.release(session, subscription);
      session.sendControl(errorFrame('history-failed', `stored events could not be read: ${toError(error).message}; subscribe again`, subscription.id));
    }
  }

  private unsubscribe(session: Session, id: string): void {
    const subscription = session.subscriptions.get(id);

    if (subscription === undefined) {
      this.reject(session, 'unknown-subscription', `no subscription ${id} in this session`, id);
      return;
    }

    session.subscriptions.delete(id);
    this.release(session, subscription);
    session.sendControl(ackFrame(id));
  }

  private reject(session: Session, code: string, message: string, id?: string, details?: Readonly<Record<string, unknown>>): void {
    session.sendControl(errorFrame(code, message, id, details));
    session.countBadFrame(this.deps.clock.now());
  }
}

function uniqueTypes(types: readonly EventType[]): EventType[] {
  const unique = [...new Set(types)];

  if (unique.length === 0) {
    throw new TickflowError('invalid-frame', 'types must name at least one event type', { path: 'types' });
  }

  return unique;
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) {
    return Buffer.concat(data).toString('utf8');
  }

  return Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data).toString('utf8');
}
