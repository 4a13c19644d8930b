/** Evaluation actions: neighbours of a clicked image, the linear probe, map display options. */
import { evaluation } from '../../client/evaluation/evaluation-buffer';
import { layoutUmap } from '../../client/evaluation/umap-client';
import type { EmbeddingsPayload, EvalConfig } from '../../protocol/evaluation';
import { validateEvalConfig } from '../../protocol/evaluation';
import { useAppStore } from '../app-store';
import { workerClient } from '../client-ref';
import type { EvaluationState, MapProjection } from './state';

function patch(update: Partial<EvaluationState>): void {
  useAppStore.setState((s) => ({ evaluation: { ...s.evaluation, ...update } }));
}

/** Asks the worker for the 16 nearest neighbours of data set image `index` (by cosine similarity on h). */
export function selectMapImage(index: number | null): void {
  if (index === null) {
    patch({ selected: null, neighbours: null, neighboursRequestId: null, neighboursError: '' });
    return;
  }
  const client = workerClient();
  const requestId = client.nextRequestId();
  patch({ selected: index, neighboursRequestId: requestId, neighboursError: '' });
  client.send({ type: 'neighbours', requestId, index });
}

export function runLinearProbe(): void {
  const client = workerClient();
  const requestId = client.nextRequestId();
  useAppStore.setState((s) => ({
    evaluation: { ...s.evaluation, probe: { ...s.evaluation.probe, status: 'running', requestId, message: '' } },
  }));
  client.send({ type: 'linearProbe', requestId });
}

export function setMapProjection(projection: MapProjection): void {
  patch({ projection });
}

export function setColourByLabel(colourByLabel: boolean): void {
  patch({ colourByLabel });
}

export function setLiveViews(liveViews: boolean): void {
  patch({ liveViews });
}

/** Changes the embedding schedule; valid values reach the worker at once (also during a run). */
export function setEvalConfig(update: Partial<EvalConfig>): void {
  const config = { ...useAppStore.getState().evaluation.config, ...update };
  patch({ config });
  if (validateEvalConfig(config).length === 0) workerClient().send({ type: 'configureEvaluation', config });
}

/** Sends the current schedule to the worker (when it connects). */
export function sendEvalConfig(): void {
  const { config } = useAppStore.getState().evaluation;
  if (validateEvalConfig(config).length === 0) workerClient().send({ type: 'configureEvaluation', config });
}

/** A new embedding pass, kept for the map (its UMAP layout is computed when the map shows UMAP). */
export function onEmbeddings(payload: EmbeddingsPayload): void {
  evaluation.pushEmbeddings(payload);
}

/** Lays out the current pass by UMAP in its own worker, once per pass. */
export function requestUmapLayout(): void {
  const map = evaluation.map;
  if (map?.umapStatus !== 'none') return;
  evaluation.markUmapRunning();
  const { vectors, indices, dim, step } = map;
  layoutUmap(vectors, indices.length, dim, (coords, message) => evaluation.setUmap(step, coords, message));
}
