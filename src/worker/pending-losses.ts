import * as tf from '@tensorflow/tfjs';

/** The losses (still on the GPU) and learning rates of the steps whose metrics were not read back yet. */
export class PendingLosses {
  private losses: tf.Scalar[] = [];
  private rates: number[] = [];

  get count(): number {
    return this.losses.length;
  }

  push(loss: tf.Scalar, learningRate: number): void {
    this.losses.push(loss);
    this.rates.push(learningRate);
  }

  /** Hands the pending steps over (the caller frees the losses) and starts empty. */
  take(): { losses: tf.Scalar[]; learningRates: Float32Array } {
    const taken = { losses: this.losses, learningRates: Float32Array.from(this.rates) };
    this.losses = [];
    this.rates = [];
    return taken;
  }

  dispose(): void {
    tf.dispose(this.take().losses);
  }
}
