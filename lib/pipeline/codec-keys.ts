import { isRight } from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { nearestKey } from '../nearest-key.js';

/** A key in the input that the codec does not declare. */
export interface UnknownKey {
  /** Path of the unknown key itself. */
  readonly path: string;
  readonly key: string;
  readonly known: readonly string[];
  readonly suggestion?: string;
}

type AnyDecoder = t.Decoder<unknown, unknown>;
type Props = Map<string, AnyDecoder[]>;

/**
 * Lists the keys of a value that its codec does not declare, walking nested objects, arrays
 * and records. io-ts strips or ignores such keys, and a misspelt optional setting would then
 * fall back to its default without a word.
 */
export function findUnknownKeys(codec: AnyDecoder, value: unknown, path: string, reserved: readonly string[] = []): UnknownKey[] {
  const found: UnknownKey[] = [];

  walk(unwrap(codec), value, path, reserved, found);
  return found;
}

function walk(codec: AnyDecoder, value: unknown, path: string, reserved: readonly string[], found: UnknownKey[]): void {
  if (codec instanceof t.UnionType) {
    const member = chooseMember(codec.types as AnyDecoder[], value);

    if (member !== undefined) {
      walk(unwrap(member), value, path, reserved, found);
    }

    return;
  }

  if (codec instanceof t.ArrayType || codec instanceof t.ReadonlyArrayType) {
    if (Array.isArray(value)) {
      value.forEach((item, index) => walk(unwrap(codec.type as AnyDecoder), item, `${path}[${index}]`, [], found));
    }

    return;
  }

  if (codec instanceof t.DictionaryType) {
    if (isObject(value)) {
      for (const [key, item] of Object.entries(value)) {
        walk(unwrap(codec.codomain as AnyDecoder), item, join(path, key), [], found);
      }
    }

    return;
  }

  const props = propsOf(codec);

  if (props !== null && isObject(value)) {
    walkObject(props, value, path, reserved, found);
  }
}

function walkObject(props: Props, value: Record<string, unknown>, path: string, reserved: readonly string[], found: UnknownKey[]): void {
  const known = [...props.keys()];

  for (const [key, item] of Object.entries(value)) {
    const codecs = props.get(key);

    if (codecs === undefined) {
      if (!reserved.includes(key)) {
        found.push({ path: join(path, key), key, known, suggestion: nearestKey(key, known) });
      }

      continue;
    }

    for (const codec of codecs) {
      walk(unwrap(codec), item, join(path, key), [], found);
    }
  }
}

/** Returns the declared properties of an object codec, or null when the codec is not an object. */
export function propsOf(codec: AnyDecoder): Props | null {
  const inner = unwrap(codec);

  if (inner instanceof t.InterfaceType || inner instanceof t.PartialType) {
    return new Map(Object.entries(inner.props as Record<string, AnyDecoder>).map(([key, value]) => [key, [value]]));
  }

  if (inner instanceof t.IntersectionType) {
    return mergeProps((inner.types as AnyDecoder[]).map(propsOf));
  }

  return null;
}

function mergeProps(parts: readonly (Props | null)[]): Props | null {
  const objects = parts.filter((part): part is Props => part !== null);

  if (objects.length === 0) {
    return null;
  }

  const merged: Props = new Map();

  for (const part of objects) {
    for (const [key, codecs] of part) {
      merged.set(key, [...(merged.get(key) ?? []), ...codecs]);
    }
  }

  return merged;
}

/**
 * Picks the union member a value was meant for: the first that decodes it, else the object
 * member whose literal properties (a `type: csv` discriminator) match.
 */
function chooseMember(members: readonly AnyDecoder[], value: unknown): AnyDecoder | undefined {
  const decoding = members.find((member) => isRight(member.decode(value)));

  if (decoding !== undefined || !isObject(value)) {
    return decoding;
  }

  return members.find((member) => literalsMatch(member, value));
}

function literalsMatch(member: AnyDecoder, value: Record<string, unknown>): boolean {
  const props = propsOf(member);

  if (props === null) {
    return false;
  }

  const literals = [...props.entries()].filter(([, codecs]) => codecs.some((codec) => unwrap(codec) instanceof t.LiteralType));

  return literals.length > 0 && literals.every(([key, codecs]) => codecs.some((codec) => isRight(codec.decode(value[key]))));
}

function unwrap(codec: AnyDecoder): AnyDecoder {
  let current = codec;

  while (current instanceof t.RefinementType || current instanceof t.ExactType || current instanceof t.ReadonlyType) {
    current = current.type as AnyDecoder;
  }

  return current;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}
