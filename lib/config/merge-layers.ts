import { isPlainObject } from './config-layer.js';
import type { ConfigLayer } from './config-layer.js';

export interface MergedSettings {
  readonly values: Record<string, unknown>;
  readonly origins: ReadonlyMap<string, string>;
}

/**
 * Settings that describe one choice together: a layer that sets any of them replaces all of
 * them, so `--replay-duration 60` is not overruled by a `replay.speed` from a lower layer.
 */
const LINKED_SETTINGS: readonly (readonly string[])[] = [['replay.speed', 'replay.durationSeconds']];

/**
 * Merges layers given lowest precedence first. Objects merge key by key; any other value,
 * lists included, replaces the lower one whole. Origins follow the values that won.
 */
export function mergeLayers(layers: readonly ConfigLayer[]): MergedSettings {
  const values: Record<string, unknown> = {};
  const origins = new Map<string, string>();

  for (const layer of layers) {
    resetLinkedSettings(values, origins, layer);
    mergeInto(values, layer.values);

    for (const [path, origin] of layer.origins) {
      dropOriginsUnder(origins, path);
      origins.set(path, origin);
    }
  }

  return { values, origins };
}

/**
 * Returns the origin of the value at a path, or of the closest enclosing setting that has
 * one, so a missing field is blamed on the section that lacks it.
 */
export function originOf(origins: ReadonlyMap<string, string>, path: string, fallback: string): string {
  let current = path;

  while (current !== '') {
    const origin = origins.get(current);

    if (origin !== undefined) {
      return origin;
    }

    current = current.replace(/(\.[^.[\]]+|\[\d+\])$|^[^.[\]]+$/, '');
  }

  return fallback;
}

function mergeInto(target: Record<string, unknown>, source: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(source)) {
    const current = target[key];

    if (isPlainObject(value) && isPlainObject(current)) {
      mergeInto(current, value);
    } else {
      target[key] = isPlainObject(value) ? structuredClone(value) : value;
    }
  }
}

function resetLinkedSettings(values: Record<string, unknown>, origins: Map<string, string>, layer: ConfigLayer): void {
  for (const group of LINKED_SETTINGS) {
    const setter = group.find((path) => hasPath(layer.values, path));

    if (setter === undefined) {
      continue;
    }

    for (const path of group) {
      if (hasPath(values, path)) {
        setExisting(values, path, null);
        origins.set(path, layer.origins.get(setter) ?? layer.name);
      }
    }
  }
}

function hasPath(values: Record<string, unknown>, path: string): boolean {
  const keys = path.split('.');
  let node: unknown = values;

  for (const key of keys) {
    if (!isPlainObject(node) || !Object.hasOwn(node, key)) {
      return false;
    }

    node = node[key];
  }

  return true;
}

function setExisting(values: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  const parent = keys.slice(0, -1).reduce<Record<string, unknown>>((node, key) => node[key] as Record<string, unknown>, values);

  parent[keys[keys.length - 1]] = value;
}

function dropOriginsUnder(origins: Map<string, string>, path: string): void {
  for (const key of [...origins.keys()]) {
    if (key.startsWith(`${path}.`) || key.startsWith(`${path}[`)) {
      origins.delete(key);
    }
  }
}
