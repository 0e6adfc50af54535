import { TickflowError } from '../errors.js';
import type { StageKind } from './stage-kind.js';

/** The stage kinds a pipeline may `use:`, by name. */
export class StageRegistry {
  private readonly kinds = new Map<string, StageKind>();

  register<S>(kind: StageKind<S>): this {
    if (this.kinds.has(kind.kind)) {
      throw new TickflowError('stage-kind-duplicate', `stage kind "${kind.kind}" is already registered`, { kind: kind.kind });
    }

    this.kinds.set(kind.kind, kind as StageKind);
    return this;
  }

  get(name: string): StageKind | undefined {
    return this.kinds.get(name);
  }

  names(): string[] {
    return [...this.kinds.keys()].sort();
  }
}
