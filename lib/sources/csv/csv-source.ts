import { readFileSync } from 'node:fs';
import type { Observable } from 'rxjs';
import type { AnyEvent, EventType } from '../../events/index.js';
import type { MarketSource, SourceContext } from '../market-source.js';
import { pacedReplay } from '../paced-replay.js';
import type { CsvSourceSettings } from '../source-settings.js';
import { CsvEventCursor } from './csv-cursor.js';
import { CsvPlan, planCsvSource } from './csv-plan.js';

/**
 * Replays a CSV file of bars, close prices or quotes. The file is read when the stream is
 * subscribed, so a missing file fails that pipeline's run, not the process.
 */
export class CsvSource implements MarketSource {
  readonly name: string;
  readonly emits: readonly EventType[] = ['bar'];
  private readonly plan: CsvPlan;

  constructor(
    settings: CsvSourceSettings,
    private readonly context: SourceContext,
  ) {
    this.plan = planCsvSource(settings, context.instruments, context.baseDir);
    this.name = this.plan.name;
  }

  open(stop: Observable<unknown>): Observable<AnyEvent> {
    const createCursor = (): CsvEventCursor => new CsvEventCursor(this.plan, readFileSync(this.plan.path, 'utf8'), this.context.instruments, this.context.clock);

    return pacedReplay(createCursor, stop, { speed: this.plan.speed, scheduler: this.context.scheduler });
  }
}
