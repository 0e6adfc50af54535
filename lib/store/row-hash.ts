import { sha256 } from '../events/index.js';

/**
 * Returns the chain hash of a row: SHA-256 over the previous row's hash, the row's sequence
 * number and the stored event body. Changing, removing or reordering any row breaks the
 * chain from that row on.
 */
export function rowHash(prevHash: string, seq: number, body: string): string {
  return sha256(`${prevHash}\n${seq}\n${body}`);
}
