import * as t from 'io-ts';
import { eventCodecs, type EventType } from '../../events/index.js';

/** The JSON kind of a field, used to reject filter values that could never match. */
export type FieldKind = 'number' | 'string' | 'boolean' | 'object' | 'array' | 'unknown';

/** The fields of one event type: dotted paths with their kinds, plus prefixes under which any key is valid (records). */
export interface EventSchema {
  readonly fields: ReadonlyMap<string, FieldKind>;
  readonly openPrefixes: readonly string[];
}

const schemas = new Map<EventType, EventSchema>();

/** Returns the field paths of an event type, read from its io-ts codec once and cached. */
export function schemaOf(type: EventType): EventSchema {
  let schema = schemas.get(type);

  if (schema === undefined) {
    const fields = new Map<string, FieldKind>();
    const openPrefixes: string[] = [];

    walk(eventCodecs[type], '', fields, openPrefixes);
    schema = { fields, openPrefixes };
    schemas.set(type, schema);
  }

  return schema;
}

/**
 * Returns the kind of a dotted path in the first of the types that has it, or undefined when
 * none does. Numeric segments (array indexes, as in `data.issues.0.path`) are skipped.
 */
export function fieldKindOf(types: readonly EventType[], path: string): FieldKind | undefined {
  const normalized = path
    .split('.')
    .filter((segment) => !/^\d+$/.test(segment))
    .join('.');

  for (const type of types) {
    const schema = schemaOf(type);
    const kind = schema.fields.get(normalized);

    if (kind !== undefined) {
      return kind;
    }

    if (schema.openPrefixes.some((prefix) => normalized.startsWith(`${prefix}.`))) {
      return 'unknown';
    }
  }

  return undefined;
}

function walk(codec: t.Mixed, path: string, fields: Map<string, FieldKind>, openPrefixes: string[]): void {
  if (codec instanceof t.ExactType || codec instanceof t.RefinementType || codec instanceof t.ReadonlyType) {
    walk(codec.type as t.Mixed, path, fields, openPrefixes);
    return;
  }

  if (codec instanceof t.IntersectionType || codec instanceof t.UnionType) {
    for (const member of codec.types as t.Mixed[]) {
      walk(member, path, fields, openPrefixes);
    }

    return;
  }

  if (codec instanceof t.InterfaceType || codec instanceof t.PartialType) {
    walkProps(codec.props as t.Props, path, fields, openPrefixes);
    return;
  }

  if (codec instanceof t.ArrayType) {
    fields.set(path, 'array');
    walk(codec.type as t.Mixed, path, fields, openPrefixes);
    return;
  }

  if (codec instanceof t.DictionaryType) {
    fields.set(path, 'object');
    openPrefixes.push(path);
    return;
  }

  if (!fields.has(path)) {
    fields.set(path, leafKind(codec));
  }
}

function walkProps(props: t.Props, path: string, fields: Map<string, FieldKind>, openPrefixes: string[]): void {
  if (path !== '' && !fields.has(path)) {
    fields.set(path, 'object');
  }

  for (const [key, codec] of Object.entries(props)) {
    walk(codec, path === '' ? key : `${path}.${key}`, fields, openPrefixes);
  }
}

const NUMBER_SAMPLES = [1, 0, -1, 0.5];
const STRING_SAMPLES = ['x', '0', '1.5', 'buy', 'sell', 'market', 'limit'];

/**
 * Finds the kind of a leaf codec by trying sample values, because the refined codecs of the
 * events (FiniteNumber, NonEmptyString, DecimalString) are plain t.Types with nothing else to read.
 */
function leafKind(codec: t.Mixed): FieldKind {
  if (codec instanceof t.LiteralType) {
    return typeof codec.value === 'number' ? 'number' : typeof codec.value === 'boolean' ? 'boolean' : 'string';
  }

  if (codec instanceof t.KeyofType) {
    return 'string';
  }

  if (NUMBER_SAMPLES.some((sample) => codec.is(sample))) {
    return 'number';
  }

  if (STRING_SAMPLES.some((sample) => codec.is(sample))) {
    return 'string';
  }

  return codec.is(true) || codec.is(false) ? 'boolean' : 'unknown';
}
