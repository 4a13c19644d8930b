import type { ImageStore } from '../core/data/image-store';
import type { Evaluation } from './evaluation';
import type { TrainingRun } from './training-run';

/**
 * The session's current run, and the one way it changes: a new, resumed, imported or recovered run
 * replaces the old one (disposed) and the evaluation views follow it.
 */
export class CurrentRun {
  private current: TrainingRun | null = null;

  constructor(private readonly evaluation: Evaluation) {}

  get run(): TrainingRun | null {
    return this.current;
  }

  /** `run` becomes current: the previous one is disposed; the map and kNN monitor run on `run` from its next interval. */
  replace(run: TrainingRun, store: ImageStore | null): void {
    if (this.current !== run) this.current?.dispose();
    this.current = run;
    if (store) this.evaluation.attach(run, store);
    else this.evaluation.reset();
  }

  /** No current run (its memory is freed before a new one is built). */
  clear(): void {
    this.current?.dispose();
    this.current = null;
    this.evaluation.reset();
  }
}
