import type { ReplaySettings } from './engine-config.js';

/**
 * Turns the replay settings into the speed a replay source takes: `max`, a factor of real time,
 * or undefined when the pipeline file's own setting applies. `durationSeconds` needs the event
 * time the data spans: 20 years of daily bars in 600 seconds is a factor of about 1.07 million.
 */
export function replaySpeedFor(replay: ReplaySettings, spanMs: number): 'max' | number | undefined {
  if (replay.speed !== null) {
    return replay.speed;
  }

  if (replay.durationSeconds === null) {
    return undefined;
  }

  if (replay.durationSeconds === 0 || spanMs <= 0) {
    return 'max';
  }

  return spanMs / (replay.durationSeconds * 1000);
}
