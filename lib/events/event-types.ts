import * as t from 'io-ts';
import { BarData } from './bar.js';
import { DeadLetterData } from './deadletter.js';
import { envelopeOf } from './envelope.js';
import { FillData } from './fill.js';
import { ForecastData } from './forecast.js';
import { OrderRejectedData } from './order-rejected.js';
import { OrderData } from './order.js';
import { ReportData } from './report.js';
import { SignalData } from './signal.js';
import { TradeData } from './trade.js';

/** The codec of every event type, keyed by the envelope's `type`. */
export const eventCodecs = {
  bar: envelopeOf('bar', BarData),
  trade: envelopeOf('trade', TradeData),
  forecast: envelopeOf('forecast', ForecastData),
  signal: envelopeOf('signal', SignalData),
  order: envelopeOf('order', OrderData),
  'order.rejected': envelopeOf('order.rejected', OrderRejectedData),
  fill: envelopeOf('fill', FillData),
  report: envelopeOf('report', ReportData),
  deadletter: envelopeOf('deadletter', DeadLetterData),
} as const;

export type EventCodecs = typeof eventCodecs;
export type EventType = keyof EventCodecs;
export type EventOf<T extends EventType> = t.TypeOf<EventCodecs[T]>;
export type AnyEvent = { [T in EventType]: EventOf<T> }[EventType];

export type BarEvent = EventOf<'bar'>;
export type TradeEvent = EventOf<'trade'>;
export type ForecastEvent = EventOf<'forecast'>;
export type SignalEvent = EventOf<'signal'>;
export type OrderEvent = EventOf<'order'>;
export type OrderRejectedEvent = EventOf<'order.rejected'>;
export type FillEvent = EventOf<'fill'>;
export type ReportEvent = EventOf<'report'>;
export type DeadLetterEvent = EventOf<'deadletter'>;

/** Every event type, in a fixed order used for metrics and listings. */
export const EVENT_TYPES = Object.keys(eventCodecs) as EventType[];

/** Returns true when the string names an event type. */
export function isEventType(value: unknown): value is EventType {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(eventCodecs, value);
}

/** Codec of any event: decodes by the envelope's `type`. */
export const AnyEventCodec = t.union(
  [
    eventCodecs.bar,
    eventCodecs.trade,
    eventCodecs.forecast,
    eventCodecs.signal,
    eventCodecs.order,
    eventCodecs['order.rejected'],
    eventCodecs.fill,
    eventCodecs.report,
    eventCodecs.deadletter,
  ],
  'Event',
);
