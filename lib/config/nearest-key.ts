import { nearestKey } from '../nearest-key.js';

export { nearestKey } from '../nearest-key.js';

/** Describes an unknown key with the nearest valid one, or the list of valid keys. */
export function unknownKeyMessage(key: string, candidates: readonly string[]): string {
  const nearest = nearestKey(key, candidates);
  const hint = nearest === undefined ? `valid keys: ${candidates.join(', ')}` : `did you mean "${nearest}"?`;

  return `unknown key "${key}"; ${hint}`;
}
