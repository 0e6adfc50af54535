/**
 * A bounded queue of frames waiting for a congested socket. `push` returns how many frames it
 * dropped to stay within the bound.
 */
export interface FrameQueue {
  readonly size: number;
  readonly full: boolean;
  push(frame: Buffer, key: string): number;
  shift(): Buffer | undefined;
  clear(): void;
}

/** Keeps the newest frames: when full, the oldest frame makes room. A ring buffer, so both ends are O(1). */
export class DropOldestQueue implements FrameQueue {
  private readonly slots: (Buffer | undefined)[];
  private head = 0;
  private count = 0;

  constructor(private readonly capacity: number) {
    this.slots = new Array<Buffer | undefined>(capacity);
  }

  get size(): number {
    return this.count;
  }

  get full(): boolean {
    return this.count >= this.capacity;
  }

  push(frame: Buffer): number {
    let dropped = 0;

    if (this.full) {
      this.shift();
      dropped = 1;
    }

    this.slots[(this.head + this.count) % this.capacity] = frame;
    this.count++;

    return dropped;
  }

  shift(): Buffer | undefined {
    if (this.count === 0) {
      return undefined;
    }

    const frame = this.slots[this.head];

    this.slots[this.head] = undefined;
    this.head = (this.head + 1) % this.capacity;
    this.count--;

    return frame;
  }

  clear(): void {
    this.slots.fill(undefined);
    this.head = 0;
    this.count = 0;
  }
}

/**
 * Keeps the latest frame per key (per instrument, say): a queued frame is stale once a newer
 * frame of its key arrives, so the newer one replaces it. When the queue contains frames for as
 * many keys as its bound, a frame of a new key makes the oldest one drop. Map order is
 * insertion order, so a replaced key moves to the back.
 */
export class KeepLatestQueue implements FrameQueue {
  private readonly frames = new Map<string, Buffer>();

  constructor(private readonly capacity: number) {}

  get size(): number {
    return this.frames.size;
  }

  get full(): boolean {
    return this.frames.size >= this.capacity;
  }

  push(frame: Buffer, key: string): number {
    let dropped = 0;

    if (this.frames.delete(key)) {
      dropped = 1;
    } else if (this.full) {
      this.shift();
      dropped = 1;
    }

    this.frames.set(key, frame);

    return dropped;
  }

  shift(): Buffer | undefined {
    const first = this.frames.entries().next();

    if (first.done === true) {
      return undefined;
    }

    this.frames.delete(first.value[0]);

    return first.value[1];
  }

  clear(): void {
    this.frames.clear();
  }
}
