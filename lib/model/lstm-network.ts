import * as tf from '@tensorflow/tfjs';

/** Shape of the network. */
export interface NetworkSettings {
  readonly window: number;
  readonly featureCount: number;
  readonly units: number;
  readonly learningRate: number;
  /** Seeds every initializer, so the same seed gives the same starting weights. */
  readonly seed: number;
}

/**
 * One LSTM layer and a linear output: the network maps a window of normalized feature rows to
 * the normalized log of the coming variance. Every initializer is seeded because TensorFlow.js
 * has no global seed.
 */
export function buildNetwork(settings: NetworkSettings): tf.Sequential {
  const network = tf.sequential();

  // Building the LSTM leaves initializer intermediates behind; weights are variables, which tidy keeps.
  tf.tidy(() => addLayers(network, settings));
  network.compile({ optimizer: tf.train.adam(settings.learningRate), loss: 'meanSquaredError' });

  return network;
}

function addLayers(network: tf.Sequential, settings: NetworkSettings): void {
  network.add(
    tf.layers.lstm({
      units: settings.units,
      inputShape: [settings.window, settings.featureCount],
      kernelInitializer: tf.initializers.glorotUniform({ seed: settings.seed }),
      recurrentInitializer: tf.initializers.orthogonal({ seed: settings.seed + 1 }),
      biasInitializer: 'zeros',
      unitForgetBias: true,
    }),
  );
  network.add(tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.glorotUniform({ seed: settings.seed + 2 }) }));
}

/**
 * Multiply-accumulates of one forecast: each LSTM step multiplies the input and the previous
 * state by four gate matrices, then the dense layer reads the last state.
 */
export function macsPerForecast(window: number, featureCount: number, units: number): number {
  return window * 4 * units * (featureCount + units) + units;
}
