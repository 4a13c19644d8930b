import { beforeEach, describe, expect, it } from 'vitest';
import { evaluation } from '../../client/evaluation/evaluation-buffer';
import type { EmbeddingsPayload, HealthPayload } from '../../protocol/evaluation';
import { useAppStore } from '../app-store';
import { type Harness, setUpStore } from '../test-support';
import { runLinearProbe, searchByFile, selectMapImage, setEvalConfig, setMapFilter, setMapSelection } from './actions';

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

/** Four unit vectors at 180, 45, 0 and 90 degrees, for data set images 10..13. */
function searchPass(): EmbeddingsPayload {
  const deg = (a: number) => [Math.cos((a * Math.PI) / 180), Math.sin((a * Math.PI) / 180)];
  return {
    ...pass(9, 0.5),
    indices: Int32Array.from([10, 11, 12, 13]),
    vectors: Float32Array.from([...deg(180), ...deg(45), ...deg(0), ...deg(90)]),
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

  it('an image of the map finds its nearest images on the page, itself left out', () => {
    selectMapImage(2);
    expect(state().search.error).toMatch(/train at least one step/);
    evaluation.pushEmbeddings(searchPass());
    selectMapImage(12);
    const { result } = state().search;
    expect(h.worker.last('embedImage')).toBeUndefined();
    expect(result?.mapStep).toBe(9);
    expect(result?.searched).toBe(4);
    // Data set indices, not rows of the pass: 12 is (1, 0), 11 is 45 degrees away, 13 at 90, 10 opposite.
    expect(result?.items.map((n) => n.index)).toEqual([11, 13, 10]);
    expect(result?.items[0]?.similarity).toBeCloseTo(Math.SQRT1_2, 6);
    selectMapImage(99);
    expect(state().search.result).toBeNull();
    expect(state().search.error).toMatch(/not among the 4 images the map embedded/);
    selectMapImage(null);
    expect(state().search.query).toBeNull();
  });

  it('a file is embedded by the worker, then searched; only the latest request counts; errors reach the panel', () => {
    searchByFile(new File(['x'], 'copy.png'));
    expect(state().search.error).toMatch(/embedding map/);
    evaluation.pushEmbeddings(searchPass());
    searchByFile(new File(['x'], 'old.png'));
    const first = h.worker.last('embedImage')!;
    searchByFile(new File(['x'], 'copy.png'));
    const second = h.worker.last('embedImage')!;
    expect(state().search.requestId).toBe(second.requestId);
    const answer = (requestId: number, embedding: number[]) => ({
      type: 'embedded' as const,
      requestId,
      name: 'copy.png',
      step: 12,
      embedding: Float32Array.from(embedding),
    });
    h.worker.emit(answer(first.requestId, [0, 1]));
    expect(state().search.result).toBeNull();
    // Not unit length: the query is normalized before the cosines.
    h.worker.emit(answer(second.requestId, [0, 3]));
    const { result, query, requestId } = state().search;
    expect(requestId).toBeNull();
    expect(query).toEqual({ kind: 'file', name: 'copy.png' });
    expect(result?.items[0]).toEqual({ index: 13, similarity: 1 });
    expect(result?.queryStep).toBe(12);
    expect(useAppStore.getState().exporting.embedding).toBeNull();

    searchByFile(new File(['x'], 'wide.png'));
    h.worker.emit(answer(h.worker.last('embedImage')!.requestId, [1, 0, 0]));
    expect(state().search.error).toMatch(/3-dimensional h but the map holds 2-dimensional/);
    searchByFile(new File(['x'], 'bad.png'));
    const failing = h.worker.last('embedImage')!;
    h.worker.emit({
      type: 'error',
      requestId: failing.requestId,
      context: 'embedding bad.png',
      error: { name: 'Error', message: 'bad.png: not an image' },
    });
    expect(state().search.error).toBe('bad.png: not an image');
    expect(state().search.requestId).toBeNull();

    searchByFile(new File(['x'], 'late.png'));
    h.worker.crash('out of memory');
    expect(state().search.requestId).toBeNull();
    expect(state().search.error).toMatch(/out of memory/);
  });

  it('the lasso selection is kept sorted, and cleared by an empty one; new images clear it and the filter', () => {
    setMapSelection([5, 1, 3]);
    expect(state().mapSelection).toEqual([1, 3, 5]);
    setMapSelection([]);
    expect(state().mapSelection).toBeNull();
    setMapSelection([2]);
    setMapFilter({ text: 'cat', label: 1 });
    expect(state().mapFilter).toEqual({ text: 'cat', label: 1 });
    h.worker.emit({ type: 'imagesCleared' });
    expect(state().mapSelection).toBeNull();
    expect(state().mapFilter).toEqual({ text: '', label: null });
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
