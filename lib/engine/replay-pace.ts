import { lastValueFrom, NEVER, reduce } from 'rxjs';
import { replaySpeedFor, type ReplaySettings } from '../config/index.js';
import type { Logger } from '../observability/logger.js';
import type { PipelineSpec } from '../pipeline/index.js';
import { createSource } from '../sources/index.js';
import type { Clock } from '../time/clock.js';

/**
 * Applies the engine's replay pace to a pipeline whose source replays a file. The pace in
 * seconds needs the time span of the data, so the file is read once at full speed first; for
 * the bundled S&P 500 file that takes well under a second.
 */
export async function withReplayPace(spec: PipelineSpec, replay: ReplaySettings, deps: { logger: Logger; clock: Clock }): Promise<PipelineSpec> {
  if (spec.source.type !== 'csv') {
    return spec;
  }

  const spanMs = replay.speed === null && replay.durationSeconds !== null && replay.durationSeconds > 0 ? await sourceSpanMs(spec, deps) : 0;
  const speed = replaySpeedFor(replay, spanMs);

  if (speed === undefined) {
    return spec;
  }

  deps.logger.info({ pipeline: spec.id, speed, spanDays: Math.round(spanMs / 86_400_000) }, 'replay pace set');

  return { ...spec, source: { ...spec.source, speed } };
}

async function sourceSpanMs(spec: PipelineSpec, deps: { logger: Logger; clock: Clock }): Promise<number> {
  const source = createSource(
    { ...spec.source, speed: 'max' } as PipelineSpec['source'],
    { instruments: spec.instruments, baseDir: spec.baseDir, logger: deps.logger, clock: deps.clock },
  );
  const range = await lastValueFrom(
    source.open(NEVER).pipe(
      reduce(
        (span, event) => (event.type === 'bar' ? { first: Math.min(span.first, event.time), last: Math.max(span.last, event.time) } : span),
        { first: Number.POSITIVE_INFINITY, last: Number.NEGATIVE_INFINITY },
      ),
    ),
  );

  return Number.isFinite(range.first) ? range.last - range.first : 0;
}
