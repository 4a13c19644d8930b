import type { ImageStore } from '../core/data/image-store';
import type { SimclrModel } from '../core/train/simclr-model';
import type { StepDraw, Trainer, TrainerStep } from '../core/train/trainer';
import { MIN_CHUNK_IMAGES, type TrainConfig } from '../protocol/config';
import type { StepPlan } from '../protocol/step-memory';
import { classifyFault } from './faults';
import type { Emit } from './ingest';
import { planRunStep } from './step-plan';

/**
 * How a run's steps are split into passes (core/train/chunked-step.ts) on the active backend, and the
 * fallback when a pass runs out of memory mid-run: the same step again in at least twice the passes, so
 * the batch stays as set.
 */
export class StepPasses {
  /** The current plan; made by plan() when the run starts. */
  current: StepPlan | null = null;
  /** Fewest passes a step may take: doubled after an out-of-memory error in a step. */
  private minPasses = 1;

  constructor(
    private readonly config: TrainConfig,
    private readonly store: ImageStore,
    private readonly model: SimclrModel,
    private readonly emit: Emit,
  ) {}

  /** Plans the step's passes for this backend and says so (runConfig); throws StepDoesNotFitError when none fits. */
  plan(note = ''): StepPlan {
    const params = this.model.encoderParamCount + this.model.headParamCount;
    this.current = planRunStep(this.config, this.store, params, this.minPasses);
    this.emit({ type: 'runConfig', step: { ...this.current, note } });
    return this.current;
  }

  /** Trains `draw` in the planned passes; an out-of-memory pass re-plans in smaller passes and retries the same draw. */
  train(trainer: Trainer, draw: StepDraw, wantMetrics: boolean): TrainerStep {
    let plan = this.current ?? this.plan();
    for (;;) {
      try {
        return trainer.train(draw, plan.passes, wantMetrics);
      } catch (error) {
        if (classifyFault(error) !== 'out-of-memory' || plan.imagesPerPass <= MIN_CHUNK_IMAGES) throw error;
        this.minPasses = plan.passes * 2;
        const note = `Ran out of memory in a chunk of ${plan.imagesPerPass} images: now smaller chunks.`;
        plan = this.plan(note);
        this.emit({ type: 'recovered', fault: 'out-of-memory', message: `${note} The batch stays ${plan.batchSize}.` });
      }
    }
  }
}
