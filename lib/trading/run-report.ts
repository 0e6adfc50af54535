import type { ReportData } from '../events/index.js';
import type { PaperVenue } from './paper-venue.js';
import { maxDrawdown, periodsPerYear, sharpeRatio } from './performance.js';
import type { RunCounts } from './run-tally.js';

/** What a run report is built from. */
export interface RunReportInputs {
  readonly venue: PaperVenue;
  readonly counts?: RunCounts;
  /** The event log's state at the end of the run. */
  readonly log?: { readonly headHash: string; readonly rowCount: number };
}

/** Builds the `report` event data of a run or a replay. */
export function buildRunReport(inputs: RunReportInputs): ReportData {
  const snapshot = inputs.venue.positions();
  const curve = inputs.venue.equityCurve();
  const counts = inputs.counts;

  return {
    trades: snapshot.trades,
    pnl: round(snapshot.pnl),
    sharpe: round(sharpeRatio(curve, periodsPerYear(inputs.venue.interval)), 4),
    maxDrawdown: round(maxDrawdown(curve), 6),
    turnover: round(snapshot.turnover, 4),
    rejectionsByRule: { ...(counts?.rejectionsByRule ?? {}) },
    ...(inputs.log === undefined ? {} : { headHash: inputs.log.headHash, rowCount: inputs.log.rowCount }),
    ...(counts === undefined
      ? {}
      : { bars: counts.bars, forecasts: counts.forecasts, signals: counts.signals, orders: counts.orders, deadLetters: counts.deadLetters }),
  };
}

/** Formats a report as aligned lines for the terminal. */
export function formatRunReport(report: ReportData): string {
  const rejections = Object.entries(report.rejectionsByRule);
  const lines = [
    ['trades', String(report.trades)],
    ['P&L', report.pnl.toFixed(2)],
    ['Sharpe ratio', report.sharpe.toFixed(2)],
    ['max drawdown', `${(report.maxDrawdown * 100).toFixed(2)}%`],
    ['turnover', `${report.turnover.toFixed(2)}x capital`],
    ['rejections', rejections.length === 0 ? 'none' : rejections.map(([rule, count]) => `${rule} ${count}`).join(', ')],
  ];

  if (report.bars !== undefined) {
    lines.push(['events', `${report.bars} bars, ${report.forecasts ?? 0} forecasts, ${report.signals ?? 0} signals, ${report.orders ?? 0} orders, ${report.deadLetters ?? 0} dead letters`]);
  }

  if (report.headHash !== undefined) {
    lines.push(['event log', `${report.rowCount ?? 0} rows, head ${report.headHash || '(empty)'}`]);
  }

  return lines.map(([label, value]) => `${label.padEnd(14)}${value}`).join('\n');
}

function round(value: number, digits = 2): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
