/**
 * Evaluation data outside the React store (large arrays, redrawn at animation-frame pace): the health
 * series and last histograms, the kNN series, and the last embedding pass with its PCA and UMAP layouts.
 */
import { collapseVerdict, type EmbeddingsPayload, type HealthPayload } from '../../protocol/evaluation';
import { ChangeNotifier } from '../change-source';
import { RingSeries } from '../metrics-buffer';

export interface HealthSnapshot extends HealthPayload {
  step: number;
  /** The run's first measured spread of h, the baseline of the collapse rule. */
  baselineStd: number;
}

export type UmapStatus = 'none' | 'running' | 'done' | 'failed';

export interface EmbeddingMapData extends EmbeddingsPayload {
  /** UMAP layout [count, 2] of the same pass, once computed off the main thread. */
  umap: Float32Array | null;
  umapStatus: UmapStatus;
  umapMessage: string;
}

export class EvaluationBuffer extends ChangeNotifier {
  readonly top1 = new RingSeries();
  readonly top5 = new RingSeries();
  readonly alignment = new RingSeries();
  readonly uniformity = new RingSeries();
  readonly representationStd = new RingSeries();
  readonly knn20 = new RingSeries();
  readonly knn200 = new RingSeries();
  #health: HealthSnapshot | null = null;
  #baselineStd: number | null = null;
  #map: EmbeddingMapData | null = null;

  get health(): HealthSnapshot | null {
    return this.#health;
  }

  get map(): EmbeddingMapData | null {
    return this.#map;
  }

  /** A metrics event's health, at the last step of the event. */
  pushHealth(step: number, health: HealthPayload): void {
    const previous = this.top1.last();
    // Steps going backwards mean a new run.
    if (previous && step <= previous.step) this.#clearHealth();
    this.top1.push(step, health.top1);
    this.top5.push(step, health.top5);
    this.alignment.push(step, health.alignment);
    this.uniformity.push(step, health.uniformity);
    this.representationStd.push(step, health.representationStd);
    const baselineStd = this.#baselineStd ?? health.representationStd;
    this.#baselineStd = baselineStd;
    this.#health = {
      ...health,
      step,
      baselineStd,
      collapsed: collapseVerdict(health.representationStd, health.representationDim, baselineStd),
    };
    this.changed();
  }

  pushEmbeddings(payload: EmbeddingsPayload): void {
    const previous = this.knn20.last();
    if (payload.step === 0 || (previous && payload.step <= previous.step)) {
      this.knn20.clear();
      this.knn200.clear();
    }
    // The untrained pass comes before a new run's first step: its health series (and baseline) start afresh.
    if (payload.step === 0) this.#clearHealth();
    if (payload.knn) {
      this.knn20.push(payload.step, payload.knn.k20);
      this.knn200.push(payload.step, payload.knn.k200);
    }
    // The previous UMAP layout stays visible until the new one is ready (same points, same order).
    const keepUmap = this.#map && this.#map.indices.length === payload.indices.length ? this.#map.umap : null;
    this.#map = { ...payload, umap: keepUmap, umapStatus: 'none', umapMessage: '' };
    this.changed();
  }

  /** A UMAP layout of the current pass was requested (only while the map shows UMAP: it costs CPU). */
  markUmapRunning(): void {
    if (this.#map?.umapStatus !== 'none') return;
    this.#map = { ...this.#map, umapStatus: 'running' };
    this.changed();
  }

  /** The UMAP layout of pass `step` finished (ignored if a newer pass arrived meanwhile). */
  setUmap(step: number, coords: Float32Array | null, message = ''): void {
    if (!this.#map || this.#map.step !== step) return;
    this.#map = coords
      ? { ...this.#map, umap: coords, umapStatus: 'done', umapMessage: '' }
      : { ...this.#map, umapStatus: 'failed', umapMessage: message };
    this.changed();
  }

  reset(): void {
    this.#clearHealth();
    this.knn20.clear();
    this.knn200.clear();
    this.#map = null;
    this.changed();
  }

  #clearHealth(): void {
    for (const s of [this.top1, this.top5, this.alignment, this.uniformity, this.representationStd]) s.clear();
    this.#health = null;
    this.#baselineStd = null;
  }
}

/** The app's evaluation data. */
export const evaluation = new EvaluationBuffer();
