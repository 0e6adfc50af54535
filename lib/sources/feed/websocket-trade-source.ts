import { Observable } from 'rxjs';
import { sourceEventId, type AnyEvent, type EventType, type TradeEvent } from '../../events/index.js';
import type { Logger } from '../../observability/logger.js';
import { barEvent } from '../bar-event.js';
import { deadLetterEvent, Rejection } from '../dead-letter.js';
import type { MarketSource, SourceContext } from '../market-source.js';
import type { WebSocketSourceSettings } from '../source-settings.js';
import { FeedConnection } from './feed-connection.js';
import { parseScaledDecimal } from './scaled-decimal.js';
import { FeedTrade, parseTradeMessage } from './trade-message.js';
import { TradeBar, TradeBarAggregator } from './trade-bars.js';
import { TradeSequence } from './trade-sequence.js';

/** Counts kept by a feed source, for logs, tests and metrics. */
export interface FeedStats {
  messages: number;
  trades: number;
  /** Repeats of a trade already accepted, outside a resume. */
  duplicates: number;
  /** Repeats sent by the feed right after a reconnect, dropped without a dead letter. */
  resumeDuplicates: number;
  gaps: number;
  missingTrades: number;
  reconnects: number;
  deadLettered: number;
  /** Summed quantity of accepted trades, in units of 10^-quantityDecimals. */
  volumeScaled: bigint;
  /** Summed volume of emitted bars, same units; equals volumeScaled once every bar is out. */
  barVolumeScaled: bigint;
}

const DEFAULTS = {
  interval: 60_000,
  quantityDecimals: 8,
  initialDelay: 250,
  maxDelay: 30_000,
  maxAttempts: 10,
  resetAfter: 10_000,
  handshakeTimeout: 10_000,
  pingInterval: 15_000,
  idleTimeout: 45_000,
  maxPayload: 1_048_576,
};

/** Reconnect settings with their defaults filled in, in milliseconds. */
export interface FeedReconnectTimes {
  readonly initialDelay: number;
  readonly maxDelay: number;
  readonly maxAttempts: number;
  readonly resetAfter: number;
}

/** Connection settings with their defaults filled in: times in milliseconds, `maxPayload` in bytes. */
export interface FeedLiveness {
  readonly handshakeTimeout: number;
  readonly pingInterval: number;
  readonly idleTimeout: number;
  readonly maxPayload: number;
}

/**
 * Trades from an exchange-style WebSocket feed, aggregated into bars. It reconnects with
 * exponential backoff after a disconnect and, when `resumeParam` is set, requests that the feed resume
 * after the last trade id it accepted. Trades are deduplicated by id, and gaps in the ids are
 * logged and counted.
 */
export class WebSocketTradeSource implements MarketSource {
  readonly name: string;
  readonly emits: readonly EventType[];
  readonly stats: FeedStats = { messages: 0, trades: 0, duplicates: 0, resumeDuplicates: 0, gaps: 0, missingTrades: 0, reconnects: 0, deadLettered: 0, volumeScaled: 0n, barVolumeScaled: 0n };
  private readonly logger: Logger;
  private readonly interval: number;
  private readonly decimals: number;
  /** After a reconnect, the last accepted trade id; repeats up to it are the feed resuming, not bad data. */
  private resumeAfter: number | undefined;

  constructor(
    private readonly settings: WebSocketSourceSettings,
    private readonly context: SourceContext,
  ) {
    this.name = `ws:${settings.instrument ?? (context.instruments.length === 1 ? context.instruments[0].id : 'feed')}`;
    this.emits = settings.emitTrades === false ? ['bar'] : ['bar', 'trade'];
    this.logger = context.logger.child({ source: this.name });
    this.interval = settings.interval ?? DEFAULTS.interval;
    this.decimals = settings.quantityDecimals ?? DEFAULTS.quantityDecimals;
  }

  open(stop: Observable<unknown>): Observable<AnyEvent> {
    return new Observable<AnyEvent>((subscriber) => new FeedConnection(this, subscriber, stop).start());
  }

  /** @internal Used by the connection: everything that depends on settings and state across connections. */
  readonly state = {
    sequence: new TradeSequence(),
    bars: undefined as TradeBarAggregator | undefined,
  };

  /** @internal */
  handleMessage(raw: string, offset: string): AnyEvent[] {
    this.stats.messages++;
    const parsed = parseTradeMessage(raw, this.settings.format ?? 'auto');

    if (parsed.kind === 'ignored') {
      return [];
    }

    if (parsed.kind === 'invalid') {
      return [this.reject(raw, offset, this.defaultInstrument(), this.context.clock.now(), parsed.rejection)];
    }

    return this.handleTrade(parsed.trade, raw, offset);
  }

  /** @internal Emits the bars still open; called when the source stops. */
  flushBars(): AnyEvent[] {
    return (this.state.bars?.flush() ?? []).map((bar) => this.barToEvent(bar));
  }

  /** @internal The URL of the next connection, carrying the resume id when configured. */
  connectionUrl(): string {
    const last = this.state.sequence.last(this.defaultInstrument());

    if (this.settings.resumeParam === undefined || last === undefined) {
      return this.settings.url;
    }

    const url = new URL(this.settings.url);
    url.searchParams.set(this.settings.resumeParam, String(last + 1));
    return url.toString();
  }

  /** @internal */
  get reconnect(): FeedReconnectTimes {
    const reconnect = this.settings.reconnect ?? {};

    return {
      initialDelay: reconnect.initialDelay ?? DEFAULTS.initialDelay,
      maxDelay: reconnect.maxDelay ?? DEFAULTS.maxDelay,
      maxAttempts: reconnect.maxAttempts ?? DEFAULTS.maxAttempts,
      resetAfter: reconnect.resetAfter ?? DEFAULTS.resetAfter,
    };
  }

  /** @internal */
  get liveness(): FeedLiveness {
    return {
      handshakeTimeout: this.settings.handshakeTimeout ?? DEFAULTS.handshakeTimeout,
      pingInterval: this.settings.pingInterval ?? DEFAULTS.pingInterval,
      idleTimeout: this.settings.idleTimeout ?? DEFAULTS.idleTimeout,
      maxPayload: this.settings.maxPayload ?? DEFAULTS.maxPayload,
    };
  }

  /** @internal */
  get subscribeMessage(): string | undefined {
    return this.settings.subscribe === undefined ? undefined : JSON.stringify(this.settings.subscribe);
  }

  /** @internal */
  get log(): Logger {
    return this.logger;
  }

  /** @internal */
  get scheduler(): SourceContext['scheduler'] {
    return this.context.scheduler;
  }

  private handleTrade(trade: FeedTrade, raw: string, offset: string): AnyEvent[] {
    const instrument = this.instrumentFor(trade.symbol);
    const rejection = instrument === undefined ? { code: 'unknown-symbol', field: 'symbol', reason: `symbol ${trade.symbol} is not a pipeline instrument; list it under instruments, or set source.instrument to take every symbol as that one` } : this.checkTrade(trade, instrument);

    if (rejection === 'resume-duplicate') {
      this.stats.resumeDuplicates++;
      return [];
    }

    if (rejection !== null) {
      return [this.reject(raw, offset, instrument ?? this.defaultInstrument(), trade.time, rejection)];
    }

    return this.acceptTrade(trade, instrument as string);
  }

  private checkTrade(trade: FeedTrade, instrument: string): Rejection | 'resume-duplicate' | null {
    const check = this.state.sequence.check(instrument, trade.tradeId);

    if (check.kind === 'duplicate') {
      if (this.resumeAfter !== undefined && trade.tradeId <= this.resumeAfter) {
        return 'resume-duplicate';
      }

      this.stats.duplicates++;
      return { code: 'duplicate-trade-id', field: 'tradeId', reason: `trade id ${trade.tradeId} was seen before (last accepted ${check.last})` };
    }

    const price = Number(trade.price);

    if (price <= 0 && !this.allowsNegative(instrument)) {
      return { code: 'non-positive-price', field: 'price', reason: `price ${trade.price} is at or below zero and the instrument does not allow negative prices` };
    }

    if (parseScaledDecimal(trade.quantity, this.decimals) === undefined) {
      return { code: 'too-many-decimals', field: 'quantity', reason: `quantity ${trade.quantity} has more than ${this.decimals} decimal places; raise source.quantityDecimals` };
    }

    const barStart = this.state.bars?.openBarStart(instrument);

    if (barStart !== undefined && trade.time < barStart) {
      // The id is still taken as seen, so the next trade is not reported as a gap.
      this.state.sequence.accept(instrument, trade.tradeId);
      return { code: 'time-went-backwards', field: 'time', reason: `trade time ${trade.time} is before the open bar's start ${barStart}; its bar was already emitted` };
    }

    if (check.kind === 'gap') {
      this.stats.gaps++;
      this.stats.missingTrades += check.missing;
      this.logger.warn({ instrument, tradeId: trade.tradeId, missing: check.missing }, 'trade ids skipped: trades were missed');
    }

    return null;
  }

  private acceptTrade(trade: FeedTrade, instrument: string): AnyEvent[] {
    // checkTrade has already rejected quantities that do not parse.
    const quantity = parseScaledDecimal(trade.quantity, this.decimals) as bigint;

    this.resumeAfter = undefined;
    this.state.sequence.accept(instrument, trade.tradeId);
    this.stats.trades++;
    this.stats.volumeScaled += quantity;

    const events: AnyEvent[] = [];
    const ingestTime = this.context.clock.now();

    if (this.settings.emitTrades !== false) {
      events.push(this.tradeEvent(trade, instrument, ingestTime));
    }

    this.state.bars ??= new TradeBarAggregator(this.interval, this.decimals);
    const bar = this.state.bars.add(instrument, trade.time, Number(trade.price), quantity);

    if (bar !== null) {
      events.push(this.barToEvent(bar));
    }

    return events;
  }

  private tradeEvent(trade: FeedTrade, instrument: string, ingestTime: number): TradeEvent {
    const id = sourceEventId(this.name, trade.tradeId);

    return {
      id,
      type: 'trade',
      time: trade.time,
      ingestTime,
      source: this.name,
      correlationId: id,
      instrument,
      data: { price: trade.price, quantity: trade.quantity, tradeId: String(trade.tradeId), side: trade.side },
    };
  }

  private barToEvent(bar: TradeBar): AnyEvent {
    this.stats.barVolumeScaled += bar.volumeScaled;

    return barEvent({ source: this.name, offset: `bar:${bar.instrument}:${bar.time}`, instrument: bar.instrument, time: bar.time, ingestTime: this.context.clock.now(), prices: bar.prices, interval: this.interval });
  }

  private reject(raw: string, offset: string, instrument: string, time: number, rejection: Rejection): AnyEvent {
    this.stats.deadLettered++;

    return deadLetterEvent({ source: this.name, offset, time, ingestTime: this.context.clock.now(), instrument, raw, location: `${this.name} ${offset}`, rejection });
  }

  private instrumentFor(symbol: string): string | undefined {
    if (this.settings.instrument !== undefined) {
      return this.settings.instrument;
    }

    // Without `instrument:` the symbol must name a pipeline instrument, even when there is only
    // one: a feed carrying several symbols would otherwise merge them into one instrument's bars.
    const wanted = symbol.toUpperCase();

    return this.context.instruments.find((instrument) => instrument.id.toUpperCase() === wanted)?.id;
  }

  private defaultInstrument(): string {
    return this.settings.instrument ?? this.context.instruments[0]?.id ?? 'unknown';
  }

  private allowsNegative(instrument: string): boolean {
    return this.context.instruments.find((entry) => entry.id === instrument)?.allowNegativePrices ?? false;
  }

  /** @internal Called on reconnect: repeats up to the last accepted id are expected and dropped quietly. */
  expectRepeats(): void {
    this.resumeAfter = this.state.sequence.last(this.defaultInstrument());
  }
}
