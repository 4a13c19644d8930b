import { beforeEach, describe, expect, it } from 'vitest';
import { evaluation } from '../../client/evaluation/evaluation-buffer';
import type { EmbeddingsPayload, HealthPayload } from '../../protocol/evaluation';
import { useAppStore } from '../app-store';
import { type Harness, setUpStore } from '../test-support';
import { runLinearProbe, selectMapImage, setEvalConfig } from './actions';

let h: Harness;
beforeEach(() => {
  h = setUpStore();
  evaluation.reset();
});

const state = () => useAppStore.getState().evaluation;

function pass(step: number, k20: number): EmbeddingsPayload {
  return {
    step,
    indices: Int32Array.from([0, 1, 2, 3]),
    pca: new Float32Array(8),
    vectors: new Float32Array(8),
    dim: 2,
    labels: Int32Array.from([0, 1, 0, 1]),
    labelNames: ['a', 'b'],
    labelReason: '',
    knn: { k20, k200: k20, testCount: 1, bankCount: 3, majority: 1 },
  };
}

describe('evaluation slice', () => {
  it('sends the map schedule on connect and on change, only when valid', () => {
    expect(h.worker.last('configureEvaluation')?.config.embedEvery).toBe(100);
    setEvalConfig({ embedEvery: 7 });
    expect(h.worker.last('configureEvaluation')?.config.embedEvery).toBe(7);
    setEvalConfig({ embedEvery: -1 });
    expect(h.worker.last('configureEvaluation')?.config.embedEvery).toBe(7);
    expect(state().config.embedEvery).toBe(-1);
  });

  it('neighbours answer only the latest request; an error names the problem', () => {
    selectMapImage(2);
    const first = h.worker.last('neighbours')!;
    selectMapImage(3);
    const second = h.worker.last('neighbours')!;
    expect(second.index).toBe(3);
    const answer = (requestId: number, index: number) => ({
      type: 'neighbours' as const,
      requestId,
      index,
      step: 5,
      neighbours: Int32Array.from([1, 0]),
      similarities: Float32Array.from([0.9, 0.5]),
    });
    h.worker.emit(answer(first.requestId, 2));
    expect(state().neighbours).toBeNull();
    h.worker.emit(answer(second.requestId, 3));
    expect(state().neighbours?.items.map((n) => n.index)).toEqual([1, 0]);
    expect(state().neighbours?.items[0]?.similarity).toBeCloseTo(0.9);
    selectMapImage(1);
    const third = h.worker.last('neighbours')!;
    h.worker.emit({
      type: 'error',
      requestId: third.requestId,
      context: 'finding nearest neighbours',
      error: { name: 'Error', message: 'not embedded' },
    });
    expect(state().neighboursError).toBe('not embedded');
    expect(state().neighboursRequestId).toBeNull();
  });

  it('the linear probe runs, answers, and a new run clears it', () => {
    runLinearProbe();
    expect(state().probe.status).toBe('running');
    const { requestId } = h.worker.last('linearProbe')!;
    h.worker.emit({
      type: 'probeResult',
      requestId,
      step: 9,
      trainAccuracy: 1,
      testAccuracy: 0.75,
      trainCount: 12,
      testCount: 4,
      classes: 2,
      majority: 0.5,
    });
    expect(state().probe).toMatchObject({ status: 'done', testAccuracy: 0.75, step: 9 });
    h.worker.emit({ type: 'trainState', phase: 'preparing', step: 0, totalSteps: 10, message: '', canContinue: false });
    expect(state().probe.status).toBe('idle');
  });

  it('the buffer tracks kNN from step 0, restarts with a new run, and keeps health per step', () => {
    h.worker.emit({ type: 'embeddings', ...pass(0, 0.25) });
    h.worker.emit({ type: 'embeddings', ...pass(10, 0.5) });
    expect([...evaluation.knn20.toArrays().values]).toEqual([0.25, 0.5]);
    expect(evaluation.map?.step).toBe(10);
    h.worker.emit({ type: 'embeddings', ...pass(0, 0.3) });
    expect([...evaluation.knn20.toArrays().values]).toEqual([0.3]);
    const health: HealthPayload = {
      positiveHistogram: new Float32Array(40),
      negativeHistogram: new Float32Array(40),
      top1: 0.5,
      top5: 1,
      alignment: 0.2,
      uniformity: -1,
      representationStd: 0.01,
      representationDim: 32,
      collapsed: true,
    };
    h.worker.emit({
      type: 'metrics',
      firstStep: 1,
      losses: Float32Array.of(2, 2),
      learningRates: Float32Array.of(0.1, 0.1),
      imagesPerSecond: 1,
      etaSeconds: 1,
      positiveSimilarity: 0.5,
      negativeSimilarity: 0,
      similarity: new Float32Array(0),
      similaritySize: 0,
      health,
    });
    expect(evaluation.health).toMatchObject({ step: 2, collapsed: true });
    expect(evaluation.top1.last()).toEqual({ step: 2, value: 0.5 });
  });
});
