import * as tf from '@tensorflow/tfjs';
import type { WebGPUBackend, WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';

/**
 * Copies whole rows of packed int32 words between GPU buffers, bit for bit: out[positions[k]] =
 * Chunk[local[k]]. tf.gather cannot be used on packed pixels on WebGPU: it moves int32 through f32,
 * which rounds words above 2^24 and corrupts the low bytes.
 *
 * Inputs: Chunk int32 [N, W], Local int32 [n], Positions int32 [n]. Output int32 [B, W] (shared:
 * several runs write their rows into the same output).
 */
class GatherRowsProgram implements WebGPUProgram {
  variableNames = ['Chunk', 'Local', 'Positions'];
  outputShape: number[];
  shaderKey = 'simclrGatherRows';
  dispatchLayout = { x: [0, 1] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number] = [64, 1, 1];
  uniforms = 'words : i32, copies : i32,';

  constructor(batch: number, words: number, rows: number) {
    this.outputShape = [batch, words];
    this.dispatch = [Math.ceil((rows * words) / 64), 1, 1];
  }

  getUserCode(): string {
    return `
fn main(index : i32) {
  if (index >= uniforms.copies) { return; }
  let k = index / uniforms.words;
  let w = index % uniforms.words;
  result[Positions[k] * uniforms.words + w] = Chunk[Local[k] * uniforms.words + w];
}
`;
  }
}

/**
 * Assembles a [batch, words] int32 tensor from rows of several chunks on the webgpu backend. Each
 * copy is recorded when `copy` is called, so a chunk may be paged out right after its copy.
 */
export class RowGatherer {
  private readonly backend = tf.backend() as WebGPUBackend;
  private readonly output: tf.TensorInfo;

  constructor(
    private readonly batch: number,
    private readonly words: number,
  ) {
    this.output = this.backend.makeTensorInfo([batch, words], 'int32');
  }

  /** out[positions[k]] = chunk[local[k]] for every k. */
  copy(chunk: tf.Tensor2D, local: Int32Array, positions: Int32Array): void {
    const localTensor = tf.tensor1d(local, 'int32');
    const positionTensor = tf.tensor1d(positions, 'int32');
    this.backend.runWebGPUProgram(
      new GatherRowsProgram(this.batch, this.words, local.length),
      [chunk, localTensor, positionTensor],
      'int32',
      [
        { type: 'int32', data: [this.words] },
        { type: 'int32', data: [local.length * this.words] },
      ],
      this.output,
    );
    tf.dispose([localTensor, positionTensor]);
  }

  /** The assembled batch (a tracked tensor the caller owns). */
  finish(): tf.Tensor2D {
    return tf.engine().makeTensorFromTensorInfo(this.output) as tf.Tensor2D;
  }
}
