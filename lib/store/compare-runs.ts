import type { AnyEvent, EventType } from '../events/index.js';

/** One event that differs between the recorded run and the replay. */
export interface EventDifference {
  readonly id: string;
  readonly type: EventType;
  readonly instrument: string;
  readonly time: number;
  readonly kind: 'missing' | 'extra' | 'changed';
  /** Dotted paths of the fields that differ, for `changed`. */
  readonly fields: string[];
  readonly recorded?: AnyEvent;
  readonly replayed?: AnyEvent;
}

/** The outcome of comparing two runs, per event type. */
export interface RunComparison {
  readonly identical: boolean;
  readonly compared: Partial<Record<EventType, { recorded: number; replayed: number; differing: number }>>;
  readonly differences: EventDifference[];
}

/**
 * Compares recorded and replayed events by id, field by field, leaving out `ingestTime`
 * (when tickflow received the event, which no replay can repeat). Event ids are deterministic,
 * so the same bar leads to the same forecast, signal and order ids in both runs.
 */
export function compareRuns(recorded: readonly AnyEvent[], replayed: readonly AnyEvent[]): RunComparison {
  const recordedById = new Map(recorded.map((event) => [event.id, event]));
  const replayedById = new Map(replayed.map((event) => [event.id, event]));
  const differences: EventDifference[] = [];
  const compared: RunComparison['compared'] = {};
  const tally = (type: EventType) => (compared[type] ??= { recorded: 0, replayed: 0, differing: 0 });

  for (const event of recorded) {
    tally(event.type).recorded++;
    const other = replayedById.get(event.id);
    const fields = other === undefined ? [] : differingFields(event, other);

    if (other === undefined || fields.length > 0) {
      tally(event.type).differing++;
      differences.push(difference(event, other === undefined ? 'missing' : 'changed', fields, event, other));
    }
  }

  for (const event of replayed) {
    tally(event.type).replayed++;

    if (!recordedById.has(event.id)) {
      tally(event.type).differing++;
      differences.push(difference(event, 'extra', [], undefined, event));
    }
  }

  differences.sort((a, b) => a.time - b.time || a.id.localeCompare(b.id));
  return { identical: differences.length === 0, compared, differences };
}

function difference(event: AnyEvent, kind: EventDifference['kind'], fields: string[], recorded: AnyEvent | undefined, replayed: AnyEvent | undefined): EventDifference {
  return {
    id: event.id,
    type: event.type,
    instrument: event.instrument,
    time: event.time,
    kind,
    fields,
    ...(recorded === undefined ? {} : { recorded }),
    ...(replayed === undefined ? {} : { replayed }),
  };
}

/** Returns the dotted paths where two values differ, skipping `ingestTime` at the top. */
export function differingFields(left: unknown, right: unknown, path = ''): string[] {
  if (Object.is(left, right)) {
    return [];
  }

  if (!isRecord(left) || !isRecord(right)) {
    return [path === '' ? '(event)' : path];
  }

  const keys = new Set([...Object.keys(left), ...Object.keys(right)]);
  const fields: string[] = [];

  for (const key of keys) {
    if (path === '' && key === 'ingestTime') {
      continue;
    }

    fields.push(...differingFields(left[key], right[key], path === '' ? key : `${path}.${key}`));
  }

  return fields;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
