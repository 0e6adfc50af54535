export { BarData } from './bar.js';
export { DeadLetterData } from './deadletter.js';
export { decodeEvent, decodeEventOf } from './decode-event.js';
export type { DecodeResult } from './decode-event.js';
export { envelopeOf } from './envelope.js';
export { derivedEventId, sha256, sourceEventId } from './event-id.js';
export { AnyEventCodec, EVENT_TYPES, eventCodecs, isEventType } from './event-types.js';
export type {
  AnyEvent,
  BarEvent,
  DeadLetterEvent,
  EventOf,
  EventType,
  FillEvent,
  ForecastEvent,
  OrderEvent,
  OrderRejectedEvent,
  ReportEvent,
  SignalEvent,
  TradeEvent,
} from './event-types.js';
export { FillData } from './fill.js';
export { ForecastData } from './forecast.js';
export {
  DecimalString,
  EpochMillis,
  FiniteNumber,
  NonEmptyString,
  NonNegativeInteger,
  NonNegativeNumber,
  PositiveInteger,
  PositiveNumber,
  refine,
} from './numbers.js';
export { OrderData, OrderKind, OrderSide } from './order.js';
export { OrderRejectedData } from './order-rejected.js';
export { ReportData } from './report.js';
export { SignalData } from './signal.js';
export { TradeData } from './trade.js';
export { describeValue, formatValidationErrors, issuesToText, pathOf } from './validation-issue.js';
export type { ValidationIssue } from './validation-issue.js';
