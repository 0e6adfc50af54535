import { basename } from 'node:path';
import { TickflowError } from '../../errors.js';
import type { AnyEvent } from '../../events/index.js';
import type { Clock } from '../../time/clock.js';
import { barEvent } from '../bar-event.js';
import { BarPrices, checkBarPrices, checkBarTime, readNumber } from '../bar-checks.js';
import { deadLetterEvent, Rejection } from '../dead-letter.js';
import type { EventCursor } from '../event-cursor.js';
import type { SourceInstrument } from '../market-source.js';
import { splitCsvLine, splitLines } from './csv-line.js';
import type { CsvPlan } from './csv-plan.js';
import { createDateParser, DateParser } from './date-parser.js';
import { QuoteBar, QuoteBarAggregator } from './quote-bars.js';

/** A row's fields with the line it came from. */
interface Row {
  readonly line: number;
  readonly raw: string;
  readonly fields: readonly string[];
}

/**
 * Reads a CSV file's rows into events, one line at a time: bars for good rows and a
 * `deadletter` event for each bad one, which names the field and the reason. Columns are
 * found by name in the header (exact first, then ignoring case).
 */
export class CsvEventCursor implements EventCursor {
  private readonly lines: string[];
  private readonly columnIndex = new Map<string, number>();
  private readonly parseDate: DateParser;
  private readonly lastTimes = new Map<string, number>();
  private readonly allowNegative: ReadonlyMap<string, boolean>;
  private readonly quotes: QuoteBarAggregator;
  private readonly location: string;
  private readonly queue: AnyEvent[] = [];
  private queueIndex = 0;
  private nextLine = 1;
  private lastQuoteTime: number | undefined;
  private finished = false;

  constructor(
    private readonly plan: CsvPlan,
    text: string,
    instruments: readonly SourceInstrument[],
    private readonly clock: Clock,
  ) {
    this.lines = splitLines(text);
    this.parseDate = createDateParser(plan.dateFormat, plan.timeZone);
    this.allowNegative = new Map(instruments.map((instrument) => [instrument.id, instrument.allowNegativePrices]));
    this.quotes = new QuoteBarAggregator(plan.interval);
    this.location = basename(plan.path);
    this.indexHeader(splitCsvLine(this.lines[0] ?? '', plan.delimiter));
  }

  read(): AnyEvent | undefined {
    while (this.queueIndex >= this.queue.length) {
      this.queue.length = 0;
      this.queueIndex = 0;

      if (!this.fill()) {
        return undefined;
      }
    }

    return this.queue[this.queueIndex++];
  }

  finish(): AnyEvent[] {
    const rest = this.queue.slice(this.queueIndex);

    this.queue.length = 0;
    this.queueIndex = 0;
    this.finished = true;
    return [...rest, ...this.flushQuotes()];
  }

  /** Reads lines until one yields events; returns false at the end of the file. */
  private fill(): boolean {
    while (this.nextLine < this.lines.length) {
      const line = this.nextLine++;
      const raw = this.lines[line];

      if (raw.trim() !== '') {
        this.readRow({ line: line + 1, raw, fields: splitCsvLine(raw, this.plan.delimiter) });
        return true;
      }
    }

    if (!this.finished) {
      this.finished = true;
      this.queue.push(...this.flushQuotes());
      return this.queue.length > 0;
    }

    return false;
  }

  private readRow(row: Row): void {
    const time = this.parseDate(this.field(row, this.plan.columns.time) ?? '');

    if (time === undefined) {
      const instrument = this.plan.instrumentColumns[0].instrument;
      this.reject(row, instrument, this.lastTimes.get(instrument) ?? 0, { code: 'invalid-date', field: this.plan.columns.time, reason: `${this.plan.columns.time} "${this.field(row, this.plan.columns.time) ?? ''}" is not a date in format ${this.plan.dateFormat}` });
      return;
    }

    if (this.plan.layout === 'ohlcv') {
      this.readOhlcv(row, time);
    } else if (this.plan.layout === 'close') {
      this.readCloses(row, time);
    } else {
      this.readQuote(row, time);
    }
  }

  private readOhlcv(row: Row, time: number): void {
    const instrument = this.plan.instrumentColumns[0].instrument;
    const columns = this.plan.columns;
    const prices = this.readPrices(row, { open: columns.open, high: columns.high, low: columns.low, close: columns.close, volume: columns.volume });

    this.acceptBar(row, row.line, instrument, time, prices);
  }

  private readCloses(row: Row, time: number): void {
    for (const { instrument, column } of this.plan.instrumentColumns) {
      const close = readNumber(this.field(row, column), column);
      const prices = typeof close === 'number' ? { open: close, high: close, low: close, close, volume: 0 } : close;
      const offset = this.plan.instrumentColumns.length === 1 ? row.line : `${row.line}:${instrument}`;

      this.acceptBar(row, offset, instrument, time, prices);
    }
  }

  private readQuote(row: Row, time: number): void {
    const instrument = this.plan.instrumentColumns[0].instrument;
    const bid = readNumber(this.field(row, this.plan.columns.bid as string), 'bid');
    const ask = readNumber(this.field(row, this.plan.columns.ask as string), 'ask');
    if (typeof bid !== 'number' || typeof ask !== 'number') {
      this.reject(row, instrument, time, typeof bid !== 'number' ? bid : (ask as Rejection));
      return;
    }

    const rejection = checkQuote(bid, ask, time, this.lastQuoteTime, this.allowNegative.get(instrument) ?? false);

    if (rejection !== null) {
      this.reject(row, instrument, time, rejection);
      return;
    }

    this.lastQuoteTime = time;
    const bar = this.quotes.add(instrument, time, (bid + ask) / 2);

    if (bar !== null) {
      this.queue.push(this.quoteBarEvent(bar));
    }
  }

  private acceptBar(row: Row, offset: number | string, instrument: string, time: number, prices: BarPrices | Rejection): void {
    const rejection = 'code' in prices ? prices : (checkBarPrices(prices, this.allowNegative.get(instrument) ?? false) ?? checkBarTime(time, this.lastTimes.get(instrument)));

    if (rejection !== null) {
      this.reject(row, instrument, time, rejection, offset);
      return;
    }

    this.lastTimes.set(instrument, time);
    this.queue.push(barEvent({ source: this.plan.name, offset, instrument, time, ingestTime: this.clock.now(), prices: prices as BarPrices, interval: this.plan.interval }));
  }

  private readPrices(row: Row, columns: Record<keyof BarPrices, string | undefined>): BarPrices | Rejection {
    const values: Record<string, number> = {};

    for (const [field, column] of Object.entries(columns)) {
      if (field === 'volume' && (column === undefined || !this.columnIndex.has(column))) {
        values.volume = 0;
        continue;
      }

      const value = readNumber(this.field(row, column as string), field);

      if (typeof value !== 'number') {
        return value;
      }

      values[field] = value;
    }

    return values as unknown as BarPrices;
  }

  private reject(row: Row, instrument: string, time: number, rejection: Rejection, offset: number | string = row.line): void {
    this.queue.push(
      deadLetterEvent({ source: this.plan.name, offset, time, ingestTime: this.clock.now(), instrument, raw: row.raw, location: `${this.location}:${row.line}`, rejection }),
    );
  }

  private flushQuotes(): AnyEvent[] {
    return this.plan.layout === 'quotes' ? this.quotes.flush().map((bar) => this.quoteBarEvent(bar)) : [];
  }

  private quoteBarEvent(bar: QuoteBar): AnyEvent {
    return barEvent({ source: this.plan.name, offset: `${bar.instrument}:${bar.time}`, instrument: bar.instrument, time: bar.time, ingestTime: this.clock.now(), prices: bar.prices, interval: this.plan.interval });
  }

  private field(row: Row, column: string): string | undefined {
    const index = this.columnIndex.get(column);

    return index === undefined ? undefined : row.fields[index];
  }

  private indexHeader(header: readonly string[]): void {
    const names = header.map((name) => name.trim());
    const required = [this.plan.columns.time, ...this.requiredPriceColumns()];

    for (const column of new Set([...required, this.plan.columns.volume ?? ''])) {
      const index = findColumn(names, column);

      if (index !== -1) {
        this.columnIndex.set(column, index);
      } else if (required.includes(column)) {
        throw new TickflowError('csv-column-missing', `column "${column}" not found in ${this.location}; its header has ${names.join(', ')}. Map it under source.columns`, { column, file: this.plan.path });
      }
    }
  }

  private requiredPriceColumns(): string[] {
    const columns = this.plan.columns;

    if (this.plan.layout === 'ohlcv') {
      return [columns.open, columns.high, columns.low, columns.close].filter((name): name is string => name !== undefined);
    }

    if (this.plan.layout === 'quotes') {
      return [columns.bid, columns.ask].filter((name): name is string => name !== undefined);
    }

    return this.plan.instrumentColumns.map((entry) => entry.column);
  }
}

/** Rejects a quote with a price at or below zero, an ask below the bid, or a time before the previous quote's. Equal times are fine. */
function checkQuote(bid: number, ask: number, time: number, previous: number | undefined, allowNegativePrices: boolean): Rejection | null {
  if (!allowNegativePrices && (bid <= 0 || ask <= 0)) {
    const field = bid <= 0 ? 'bid' : 'ask';
    return { code: 'non-positive-price', field, reason: `${field} ${field === 'bid' ? bid : ask} is at or below zero and the instrument does not allow negative prices` };
  }

  if (ask < bid) {
    return { code: 'crossed-quote', field: 'ask', reason: `ask ${ask} is below bid ${bid}` };
  }

  if (previous !== undefined && time < previous) {
    return { code: 'time-went-backwards', field: 'time', reason: `quote time ${new Date(time).toISOString()} is before the previous quote's ${new Date(previous).toISOString()}` };
  }

  return null;
}

function findColumn(names: readonly string[], column: string): number {
  const exact = names.indexOf(column);

  return exact !== -1 ? exact : names.findIndex((name) => name.toLowerCase() === column.toLowerCase());
}
