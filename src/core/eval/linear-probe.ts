import * as tf from '@tensorflow/tfjs';

export interface ProbeOptions {
  steps: number;
  learningRate: number;
  /** L2 penalty on the weights. */
  weightDecay: number;
}

/** Full-batch logistic regression on standardized frozen features: a few hundred Adam steps. */
export const PROBE_DEFAULTS: ProbeOptions = { steps: 300, learningRate: 0.05, weightDecay: 1e-4 };

export interface ProbeResult {
  trainAccuracy: number;
  testAccuracy: number;
}

/** The fitted probe as a linear layer on the raw (unstandardized) features: logits = x weights + bias. */
export interface FittedProbe extends ProbeResult {
  /** [d, classes] */
  weights: tf.Tensor2D;
  /** [classes] */
  bias: tf.Tensor1D;
}

/**
 * Linear probe: trains softmax regression on (trainX, trainY) with the features frozen and reports accuracy
 * on the held-out (testX, testY). Features are standardized with the training split's statistics.
 *
 * @param trainX [A, d] features, trainY [A] int32 labels; testX [Q, d], testY [Q]
 * @param yieldEvery awaits `pause()` every this many steps so other work (commands) can run
 */
export async function linearProbe(
  trainX: tf.Tensor2D,
  trainY: tf.Tensor1D,
  testX: tf.Tensor2D,
  testY: tf.Tensor1D,
  classes: number,
  options: ProbeOptions = PROBE_DEFAULTS,
  pause: () => Promise<void> = () => Promise.resolve(),
  yieldEvery = 50,
): Promise<ProbeResult> {
  const { weights, bias, ...result } = await fitLinearProbe(
    trainX,
    trainY,
    testX,
    testY,
    classes,
    options,
    pause,
    yieldEvery,
  );
  tf.dispose([weights, bias]);
  return result;
}

/**
 * The linear probe, keeping its weights: the standardization is folded in, so the layer applies to the raw
 * features (fine-tuning starts its linear layer from it: linear probing then fine-tuning, Kumar et al. 2022).
 */
export async function fitLinearProbe(
  trainX: tf.Tensor2D,
  trainY: tf.Tensor1D,
  testX: tf.Tensor2D,
  testY: tf.Tensor1D,
  classes: number,
  options: ProbeOptions = PROBE_DEFAULTS,
  pause: () => Promise<void> = () => Promise.resolve(),
  yieldEvery = 50,
): Promise<FittedProbe> {
  const d = trainX.shape[1];
  const { mean, variance } = tf.moments(trainX, 0, true);
  const scale = tf.tidy(() => tf.sqrt(tf.add(variance, 1e-6)));
  const standardize = (x: tf.Tensor2D) => tf.tidy(() => tf.div(tf.sub(x, mean), scale) as tf.Tensor2D);
  const xTrain = standardize(trainX);
  const xTest = standardize(testX);
  const targets = tf.tidy(() => tf.oneHot(tf.cast(trainY, 'int32'), classes).toFloat());
  const weights = tf.variable(tf.zeros([d, classes]), true, 'probe_w');
  const bias = tf.variable(tf.zeros([classes]), true, 'probe_b');
  const optimizer = tf.train.adam(options.learningRate);
  const logits = (x: tf.Tensor2D) => tf.add(tf.matMul(x, weights), bias) as tf.Tensor2D;
  try {
    for (let step = 0; step < options.steps; step++) {
      optimizer.minimize(
        () =>
          tf.add(
            tf.losses.softmaxCrossEntropy(targets, logits(xTrain)),
            tf.mul(options.weightDecay, tf.sum(tf.square(weights))),
          ) as tf.Scalar,
      );
      if ((step + 1) % yieldEvery === 0) await pause();
    }
    const accuracy = (x: tf.Tensor2D, y: tf.Tensor1D) =>
      tf.tidy(() => tf.mean(tf.cast(tf.equal(tf.argMax(logits(x), 1), tf.cast(y, 'int32')), 'float32')));
    const trainAcc = accuracy(xTrain, trainY);
    const testAcc = accuracy(xTest, testY);
    // GPU-to-CPU sync: two scalars, once per probe.
    const [trainAccuracy, testAccuracy] = await Promise.all([trainAcc.data(), testAcc.data()]);
    tf.dispose([trainAcc, testAcc]);
    // (x - mean) / scale W + b = x (W / scale) + (b - (mean / scale) W), scale per feature (row of W).
    const [rawWeights, rawBias] = tf.tidy(() => {
      const perRow = tf.reshape(scale, [d, 1]);
      const folded = tf.div(weights, perRow) as tf.Tensor2D;
      const shift = tf.reshape(tf.matMul(tf.reshape(mean, [1, d]), folded), [classes]);
      return [folded, tf.sub(bias, shift) as tf.Tensor1D] as const;
    });
    return {
      trainAccuracy: trainAccuracy[0] ?? Number.NaN,
      testAccuracy: testAccuracy[0] ?? Number.NaN,
      weights: rawWeights,
      bias: rawBias,
    };
  } finally {
    optimizer.dispose();
    tf.dispose([mean, variance, scale, xTrain, xTest, targets, weights, bias]);
  }
}
