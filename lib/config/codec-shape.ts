import * as t from 'io-ts';

/**
 * Returns the fields of an object codec (`t.type`, `t.strict`, `t.partial` or an intersection
 * of them), or undefined when the codec describes a leaf value.
 */
export function objectFields(codec: t.Decoder<unknown, unknown>): Readonly<Record<string, t.Mixed>> | undefined {
  if (codec instanceof t.ExactType || codec instanceof t.ReadonlyType) {
    return objectFields(codec.type);
  }

  if (codec instanceof t.InterfaceType || codec instanceof t.PartialType) {
    return codec.props as Record<string, t.Mixed>;
  }

  if (codec instanceof t.IntersectionType) {
    const members = (codec.types as t.Mixed[]).map(objectFields);
    return members.every((fields) => fields !== undefined) ? Object.assign({}, ...members) : undefined;
  }

  return undefined;
}

/** Returns the codec of the setting at a dotted path, or undefined when no such setting exists. */
export function codecAt(root: t.Mixed, path: string): t.Mixed | undefined {
  let codec: t.Mixed | undefined = root;

  for (const key of path.split('.')) {
    const fields: Readonly<Record<string, t.Mixed>> | undefined = codec === undefined ? undefined : objectFields(codec);
    codec = fields !== undefined && Object.hasOwn(fields, key) ? fields[key] : undefined;
  }

  return codec;
}

const NUMBER_TEXT = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Turns text from a flag or an environment variable into the value a setting expects: a list
 * for array settings (comma-separated, blanks dropped), a number where the codec takes one,
 * `true`/`false` for booleans, or the text itself. Text the codec cannot take is still
 * converted on a best guess, so the error shows what was meant (`received 70000`).
 */
export function valueFromText(codec: t.Mixed, text: string): unknown {
  if (codec instanceof t.ArrayType) {
    return text.split(',').map((item) => item.trim()).filter((item) => item !== '');
  }

  if (codec.decode(text)._tag === 'Right') {
    return text;
  }

  const trimmed = text.trim();

  if (NUMBER_TEXT.test(trimmed)) {
    return Number(trimmed);
  }

  if (trimmed === 'true' || trimmed === 'false') {
    return trimmed === 'true';
  }

  return text;
}
