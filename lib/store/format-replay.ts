import type { ReportData } from '../events/index.js';
import type { EventDifference } from './compare-runs.js';
import type { ReplayResult } from './replay-log.js';

/** Formats a replay's outcome: what was compared, the signals and orders that differ, and both reports side by side. */
export function formatReplay(result: ReplayResult, options: { readonly maxDifferences?: number } = {}): string {
  const lines = [`replayed ${result.marketEvents} market events: ${result.comparison.identical ? 'identical to the recorded run' : 'differs from the recorded run'}`];

  for (const [type, tally] of Object.entries(result.comparison.compared)) {
    lines.push(`  ${type.padEnd(15)}${tally.recorded} recorded, ${tally.replayed} replayed, ${tally.differing} differ`);
  }

  const trading = result.comparison.differences.filter((difference) => difference.type !== 'forecast');
  const shown = trading.slice(0, options.maxDifferences ?? 50);

  if (shown.length > 0) {
    lines.push('', 'signals and orders that differ:');
    lines.push(...shown.map(describeDifference));
  }

  if (trading.length > shown.length) {
    lines.push(`  ... and ${trading.length - shown.length} more`);
  }

  lines.push('', sideBySide(result.recorded, result.replayed));
  return lines.join('\n');
}

function describeDifference(difference: EventDifference): string {
  const when = new Date(difference.time).toISOString();
  const head = `  ${when} ${difference.instrument} ${difference.type} ${difference.id}`;

  if (difference.kind !== 'changed') {
    return `${head}: ${difference.kind === 'missing' ? 'recorded, not replayed' : 'replayed, not recorded'}`;
  }

  const changes = difference.fields.map((field) => `${field} ${valueAt(difference.recorded, field)} -> ${valueAt(difference.replayed, field)}`);
  return `${head}: ${changes.join(', ')}`;
}

function valueAt(event: unknown, path: string): string {
  let value: unknown = event;

  for (const key of path.split('.')) {
    value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
  }

  return value === undefined ? '(none)' : JSON.stringify(value);
}

function sideBySide(recorded: ReportData, replayed: ReportData): string {
  const rows: [string, string, string][] = [
    ['', 'recorded', 'replay'],
    ['trades', String(recorded.trades), String(replayed.trades)],
    ['P&L', recorded.pnl.toFixed(2), replayed.pnl.toFixed(2)],
    ['Sharpe ratio', recorded.sharpe.toFixed(2), replayed.sharpe.toFixed(2)],
    ['max drawdown', percent(recorded.maxDrawdown), percent(replayed.maxDrawdown)],
    ['turnover', recorded.turnover.toFixed(2), replayed.turnover.toFixed(2)],
    ['rejections', rejections(recorded), rejections(replayed)],
  ];

  return rows.map(([label, left, right]) => `${label.padEnd(14)}${left.padStart(16)}${right.padStart(16)}`).join('\n');
}

function percent(value: number): string {
  return `${(value * 100).toFixed(2)}%`;
}

function rejections(report: ReportData): string {
  return String(Object.values(report.rejectionsByRule).reduce((sum, count) => sum + count, 0));
}
