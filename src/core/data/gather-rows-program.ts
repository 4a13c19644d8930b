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

export interface RowCopy {
  chunk: tf.Tensor2D;
  /** Rows of the chunk to copy. */
  local: Int32Array;
  /** Where each goes in the output. */
  positions: Int32Array;
}

/** Assembles a [batch, words] int32 tensor from rows of several chunks on the webgpu backend. */
export function gatherRowsWebGpu(batch: number, words: number, copies: RowCopy[]): tf.Tensor2D {
  const backend = tf.backend() as WebGPUBackend;
  const output = backend.makeTensorInfo([batch, words], 'int32');
  for (const copy of copies) {
    const local = tf.tensor1d(copy.local, 'int32');
    const positions = tf.tensor1d(copy.positions, 'int32');
    const program = new GatherRowsProgram(batch, words, copy.local.length);
    backend.runWebGPUProgram(
      program,
      [copy.chunk, local, positions],
      'int32',
      [
        { type: 'int32', data: [words] },
        { type: 'int32', data: [copy.local.length * words] },
      ],
      output,
    );
    tf.dispose([local, positions]);
  }
  return tf.engine().makeTensorFromTensorInfo(output) as tf.Tensor2D;
}
