import * as tf from '@tensorflow/tfjs';
import { type BatchAugmenter, createAugmenter } from '../core/augment/batch-augmenter';
import { drawViewParams } from '../core/augment/params';
import type { ImageStore } from '../core/data/image-store';
import { Rng } from '../core/random/rng';
import { type AugmentCommand, PREVIEW_PAIRS, validateAugment } from '../protocol/augment';
import { type AugmentConfig, NORMALIZE_MEAN, NORMALIZE_STD } from '../protocol/config';
import type { Emit } from './ingest';
import type { TrainingRun } from './training-run';

type PreviewCommand = Extract<AugmentCommand, { type: 'previewAugment' }>;

/**
 * Answers preview requests with views made by the training pipeline itself: the running run's
 * augmenter when there is one (same GPU-resident data set, same kernel), else one of its own for the
 * loaded images. A batch of PREVIEW_PAIRS copies of the image gives pair p as views p and p + PREVIEW_PAIRS.
 */
export class AugmentPreviewer {
  private own: { store: ImageStore; length: number; backend: tf.KernelBackend; augmenter: BatchAugmenter } | null =
    null;

  constructor(private readonly emit: Emit) {}

  async preview(command: PreviewCommand, store: ImageStore | null, run: TrainingRun | null): Promise<void> {
    if (!store || store.length === 0) throw new Error('Load images first: the preview shows views of one of them.');
    const problems = validateAugment(command.augment);
    if (problems.length > 0) throw new Error(problems.join(' '));
    const index = command.imageIndex;
    if (!Number.isInteger(index) || index < 0 || index >= store.length) {
      throw new Error(`Image ${index + 1} does not exist: choose 1 to ${store.length}.`);
    }
    const augmenter = this.augmenterFor(store, run);
    const params = drawViewParams(new Rng(command.seed), 2 * PREVIEW_PAIRS, store.size, command.augment);
    const indices = new Int32Array(PREVIEW_PAIRS).fill(index);
    const rgba = tf.tidy(() => {
      const views = augmenter.views(indices, params, command.viewSize);
      // interleave first and second views so pair p is views 2p, 2p + 1
      const [first, second] = tf.split(views, 2, 0) as [tf.Tensor4D, tf.Tensor4D];
      const paired = tf.reshape(tf.stack([first, second], 1), [
        2 * PREVIEW_PAIRS,
        command.viewSize,
        command.viewSize,
        3,
      ]);
      const pixels = tf.add(tf.mul(paired, tf.tensor1d([...NORMALIZE_STD])), tf.tensor1d([...NORMALIZE_MEAN]));
      const bytes = tf.round(tf.mul(tf.clipByValue(pixels, 0, 1), 255));
      const alpha = tf.fill([...bytes.shape.slice(0, 3), 1], 255);
      return tf.cast(tf.concat([bytes, alpha], -1), 'int32');
    });
    // GPU-to-CPU sync: one read-back per preview request (never inside the training step).
    const values = await rgba.data();
    rgba.dispose();
    const pixels = Uint8ClampedArray.from(values);
    this.emit(
      {
        type: 'augmentPreview',
        requestId: command.requestId,
        imageIndex: index,
        viewSize: command.viewSize,
        pairs: PREVIEW_PAIRS,
        pixels,
        engine: augmenter.kind,
      },
      [pixels.buffer],
    );
  }

  private augmenterFor(store: ImageStore, run: TrainingRun | null): BatchAugmenter {
    // a run trains on the session's current images (they cannot change while it is active)
    if (run?.active) {
      this.release();
      return run.viewMaker();
    }
    if (this.own && this.own.backend !== tf.backend()) {
      // the backend was re-created (GPU device loss): its tensors went with the old device
      this.own = null;
    }
    if (this.own?.store !== store || this.own.length !== store.length) {
      this.release();
      this.own = { store, length: store.length, backend: tf.backend(), augmenter: createAugmenter(store) };
    }
    return this.own.augmenter;
  }

  /** Frees the preview's own GPU copy of the data set (the images changed or a run took over). */
  release(): void {
    this.own?.augmenter.dispose();
    this.own = null;
  }
}

/** setAugment: the running run uses `augment` from its next step (commands arrive between steps). */
export function applyAugmentToRun(run: TrainingRun | null, augment: AugmentConfig, emit: Emit): void {
  const problems = validateAugment(augment);
  if (problems.length > 0) throw new Error(problems.join(' '));
  if (!run?.active) return;
  run.setAugment(augment);
  emit({ type: 'augmentApplied', fromStep: run.step + 1, augment });
}
