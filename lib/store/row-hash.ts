import { hash } from 'node:crypto';

/**
 * Returns the chain hash of a row: SHA-256 over the previous row's hash, the row's sequence
 * number and the stored event body. Changing, removing or reordering any row breaks the
 * chain from that row on. The one-shot `hash` gives the same digest as a Hash object and
 * took about half the time per row when measured on the writer's hot path.
 */
export function rowHash(prevHash: string, seq: number, body: string): string {
  return hash('sha256', `${prevHash}\n${seq}\n${body}`, 'hex');
}
