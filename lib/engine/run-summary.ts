import type { EventBus } from '../bus/index.js';
import type { Logger } from '../observability/logger.js';

/** The figures of one summary line. */
export interface SummaryFigures {
  readonly bars: number;
  /** Exchange trades received from a feed; fills of the paper venue are `fills`. */
  readonly marketTrades: number;
  readonly forecasts: number;
  readonly signals: number;
  readonly orders: number;
  readonly rejections: number;
  readonly fills: number;
  readonly deadLetters: number;
  readonly sessions: number;
}

/** Reads the summary figures from the bus counters and the gateway's session count. */
export function summaryFigures(bus: EventBus, sessions: () => number): SummaryFigures {
  const counters = bus.counters();

  return {
    bars: counters.bar.published,
    marketTrades: counters.trade.published,
    forecasts: counters.forecast.published,
    signals: counters.signal.published,
    orders: counters.order.published,
    rejections: counters['order.rejected'].published,
    fills: counters.fill.published,
    deadLetters: counters.deadletter.published,
    sessions: sessions(),
  };
}

/**
 * Logs a summary line every interval while the engine runs, skipping intervals in which no
 * figure changed (after a replay ends, the engine may serve for hours with nothing new).
 * Returns the function that stops it. The timer is unreferenced, so it never keeps the
 * process alive on its own.
 */
export function startSummaryLog(bus: EventBus, sessions: () => number, logger: Logger, intervalMs: number): () => void {
  let previous = '';

  const timer = setInterval(() => {
    const figures = summaryFigures(bus, sessions);
    const text = JSON.stringify(figures);

    if (text !== previous) {
      previous = text;
      logger.info(figures, 'summary');
    }
  }, intervalMs);

  timer.unref();

  return () => clearInterval(timer);
}
