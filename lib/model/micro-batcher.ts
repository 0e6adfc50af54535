import { performance } from 'node:perf_hooks';

/** A result with how long its request queued and how long its batch ran, in milliseconds. */
export interface Batched<O> {
  readonly value: O;
  readonly queueMs: number;
  readonly inferenceMs: number;
  /** How many requests shared the batch. */
  readonly batchSize: number;
}

interface Pending<I, O> {
  readonly item: I;
  readonly queuedAt: number;
  readonly resolve: (result: Batched<O>) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Stacks requests that arrive together into one call. A batch is flushed when it reaches
 * `maxSize` (in a microtask, so the caller's synchronous burst finishes first) or when the
 * event loop turns (setImmediate), so a lone request never waits for a timer. Batches run one
 * after another, and results resolve in submission order.
 */
export class MicroBatcher<I, O> {
  private readonly queue: Pending<I, O>[] = [];
  private scheduled = false;
  private running = false;

  constructor(
    private readonly run: (items: readonly I[]) => Promise<readonly O[]>,
    readonly maxSize: number,
  ) {}

  /** Queues one request; resolves with its own result, or rejects with its batch's error. */
  submit(item: I): Promise<Batched<O>> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, queuedAt: performance.now(), resolve, reject });
      this.schedule();
    });
  }

  /** Requests waiting for a batch. */
  get pending(): number {
    return this.queue.length;
  }

  private schedule(): void {
    if (this.running || this.scheduled) {
      return;
    }

    this.scheduled = true;

    if (this.queue.length >= this.maxSize) {
      queueMicrotask(() => void this.drain());
    } else {
      setImmediate(() => void this.drain());
    }
  }

  private async drain(): Promise<void> {
    this.scheduled = false;
    this.running = true;

    try {
      while (this.queue.length > 0) {
        await this.runBatch(this.queue.splice(0, this.maxSize));
      }
    } finally {
      this.running = false;
    }
  }

  private async runBatch(batch: readonly Pending<I, O>[]): Promise<void> {
    const startedAt = performance.now();

    try {
      const outputs = await this.run(batch.map((pending) => pending.item));
      const inferenceMs = performance.now() - startedAt;

      batch.forEach((pending, i) => pending.resolve({ value: outputs[i], queueMs: startedAt - pending.queuedAt, inferenceMs, batchSize: batch.length }));
    } catch (error) {
      batch.forEach((pending) => pending.reject(error));
    }
  }
}
