import { TickflowError } from '../errors.js';
import { checkCsvSettings } from './csv/csv-plan.js';
import { CsvSource } from './csv/csv-source.js';
import { WebSocketTradeSource } from './feed/websocket-trade-source.js';
import type { MarketSource, SourceContext, SourceInstrument } from './market-source.js';
import type { SettingProblem } from './setting-problem.js';
import type { SourceSettings } from './source-settings.js';
import { SyntheticSource } from './synthetic/gbm-source.js';
import { isDatePattern } from './synthetic/start-time.js';
import type { EventType } from '../events/index.js';

/** Builds the source a pipeline's `source:` section describes. */
export function createSource(settings: SourceSettings, context: SourceContext): MarketSource {
  switch (settings.type) {
    case 'csv':
      return new CsvSource(settings, context);
    case 'websocket':
      return new WebSocketTradeSource(settings, context);
    case 'synthetic':
      return new SyntheticSource(settings, context);
  }
}

/** The market event types a source with these settings emits, for checking the stage chain before anything runs. */
export function sourceEmits(settings: SourceSettings): EventType[] {
  return settings.type === 'websocket' && settings.emitTrades !== false ? ['bar', 'trade'] : ['bar'];
}

/** Lists what is wrong with source settings beyond their types. Paths are relative to `source`. */
export function checkSourceSettings(settings: SourceSettings, instruments: readonly SourceInstrument[], baseDir: string): SettingProblem[] {
  if (settings.type === 'csv') {
    return checkCsvSettings(settings, instruments, baseDir);
  }

  if (settings.type === 'websocket') {
    return checkFeedSettings(settings.url, settings.instrument, instruments);
  }

  return settings.start !== undefined && !isDatePattern(settings.start) ? [{ path: 'start', message: 'not an ISO 8601 date or time', expected: '2024-01-02 or 2024-01-02T09:30:00Z', received: JSON.stringify(settings.start) }] : [];
}

function checkFeedSettings(url: string, instrument: string | undefined, instruments: readonly SourceInstrument[]): SettingProblem[] {
  const problems: SettingProblem[] = [];
  const ids = instruments.map((entry) => entry.id);

  if (!/^wss?:\/\/[^/\s]+/.test(url) || !URL.canParse(url)) {
    problems.push({ path: 'url', message: 'not a WebSocket address', expected: 'ws://host[:port]/path or wss://...', received: JSON.stringify(url) });
  }

  if (instrument !== undefined && !ids.includes(instrument)) {
    problems.push({ path: 'instrument', message: 'not one of the pipeline instruments', expected: ids.join(' | '), received: JSON.stringify(instrument) });
  }

  return problems;
}

/** Throws `source-invalid` when the settings have problems; used where no file position is at hand. */
export function assertSourceSettings(settings: SourceSettings, instruments: readonly SourceInstrument[], baseDir: string): void {
  const problems = checkSourceSettings(settings, instruments, baseDir);

  if (problems.length > 0) {
    throw new TickflowError('source-invalid', `invalid ${settings.type} source: ${problems.map((problem) => `${problem.path}: ${problem.message}`).join('; ')}`, { problems });
  }
}
