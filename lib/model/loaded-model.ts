import * as tf from '@tensorflow/tfjs';
import type { DailyObservation } from './daily-series.js';
import { annualize } from './features.js';
import { encodeInputWindow } from './inference-input.js';
import type { ModelMeta } from './model-meta.js';

/**
 * One version of a model in memory. Predictions hold a lease on it, so a version replaced by a
 * hot swap is disposed only after the predictions already running on it have finished.
 */
export class LoadedModel {
  private leases = 0;
  private retired = false;
  private disposed = false;

  constructor(
    readonly modelId: string,
    readonly network: tf.LayersModel,
    readonly meta: ModelMeta,
    /** SHA-256 of weights.bin. */
    readonly hash: string,
  ) {}

  /** Predicts the daily variance of the next horizon days for each window of days. */
  async predictVariances(windows: readonly (readonly DailyObservation[])[]): Promise<number[]> {
    if (this.disposed) {
      throw new Error(`model "${this.modelId}" version ${this.hash} was disposed`);
    }

    this.leases += 1;

    try {
      const values = await this.runNetwork(windows);
      const { targetMean, targetStd } = this.meta.normalization;

      return Array.from(values, (value) => Math.exp(value * targetStd + targetMean) * this.meta.target.varianceScale);
    } finally {
      this.leases -= 1;
      this.disposeIfIdle();
    }
  }

  /** Predicts annualized volatilities. */
  async predictVolatilities(windows: readonly (readonly DailyObservation[])[]): Promise<number[]> {
    return (await this.predictVariances(windows)).map(annualize);
  }

  /** Marks the version as replaced; its weights are freed once no running prediction uses it. */
  retire(): void {
    this.retired = true;
    this.disposeIfIdle();
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  private async runNetwork(windows: readonly (readonly DailyObservation[])[]): Promise<Float32Array> {
    const featureCount = this.meta.features.length;
    const input = new Float32Array(windows.length * this.meta.window * featureCount);

    windows.forEach((window, position) => encodeInputWindow(window, this.meta, input, position));

    const output = tf.tidy(() => this.network.predict(tf.tensor3d(input, [windows.length, this.meta.window, featureCount])) as tf.Tensor);

    try {
      return (await output.data()) as Float32Array;
    } finally {
      output.dispose();
    }
  }

  private disposeIfIdle(): void {
    if (this.retired && this.leases === 0 && !this.disposed) {
      this.disposed = true;
      this.network.dispose();
    }
  }
}
