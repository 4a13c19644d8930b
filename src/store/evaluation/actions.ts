/** Evaluation actions: search by image, the linear probe, map display options, filter and selection. */
import { cosineTopK } from '../../client/evaluation/cosine-top-k';
import { evaluation } from '../../client/evaluation/evaluation-buffer';
import { layoutUmap } from '../../client/evaluation/umap-client';
import type { DroppedItem } from '../../client/folder-walker';
import { thumbnails } from '../../client/thumbnail-store';
import type { EmbeddingsPayload, EvalConfig } from '../../protocol/evaluation';
import { validateEvalConfig } from '../../protocol/evaluation';
import type { WorkerEvent } from '../../protocol/messages';
import { useAppStore } from '../app-store';
import { workerClient } from '../client-ref';
import { searchFileOfDrop } from './drop-search';
import {
  type EvaluationState,
  initialSearchState,
  type MapFilter,
  type MapProjection,
  type SearchState,
} from './state';

function patch(update: Partial<EvaluationState>): void {
  useAppStore.setState((s) => ({ evaluation: { ...s.evaluation, ...update } }));
}

/** Images shown for a search. */
export const SEARCH_RESULTS = 16;

function patchSearch(search: Partial<SearchState>): void {
  useAppStore.setState((s) => ({ evaluation: { ...s.evaluation, search: { ...s.evaluation.search, ...search } } }));
}

const NO_MAP =
  'Search needs the embedding map of the loaded images: load images and train at least one step, or resume or import a run with images loaded, first.';

/**
 * The nearest images of data set image `index` (clicked on the map or in the grid) among the map's images,
 * by cosine similarity on h. Answered on the page from the map's vectors, at once, also during a run.
 */
export function selectMapImage(index: number | null): void {
  queryFile = null;
  if (index === null) {
    patchSearch(initialSearchState());
    return;
  }
  const query = { kind: 'image' as const, index };
  const map = evaluation.map;
  if (!map) {
    patchSearch({ query, requestId: null, result: null, error: NO_MAP });
    return;
  }
  const row = map.indices.indexOf(index);
  if (row < 0) {
    const name = thumbnails.pathAt(index) || `Image ${index}`;
    const error = `${name} is not among the ${map.indices.length} images the map embedded (a seeded sample of the data set): drop the file to search with it.`;
    patchSearch({ query, requestId: null, result: null, error });
    return;
  }
  const vector = map.vectors.subarray(row * map.dim, (row + 1) * map.dim);
  searchMap(query, vector, map.step, row);
}

/** The file last searched with, for showing it (a File is not store state). */
let queryFile: File | null = null;

export function searchQueryFile(): File | null {
  return queryFile;
}

/** Embeds `file` with the current encoder (in the worker), then finds its nearest images in the map. */
export function searchByFile(file: File): void {
  queryFile = file;
  const query = { kind: 'file' as const, name: file.name };
  if (!evaluation.map) {
    patchSearch({ query, requestId: null, result: null, error: NO_MAP });
    return;
  }
  const client = workerClient();
  const requestId = client.nextRequestId();
  patchSearch({ query, requestId, result: null, error: '' });
  client.send({ type: 'embedImage', requestId, file });
}

/** A drop on the page: searches with one file once the map exists (true), else leaves it to the data set. */
export function searchWithDrop(items: readonly DroppedItem[]): boolean {
  const file = searchFileOfDrop(items, evaluation.map !== null);
  if (file) searchByFile(file);
  return file !== null;
}

/** The worker's h of a searched file: its neighbours in the map (other embed requests are not ours). */
export function onSearchEmbedded(event: Extract<WorkerEvent, { type: 'embedded' }>): void {
  const { search } = useAppStore.getState().evaluation;
  if (event.requestId !== search.requestId || search.query?.kind !== 'file') return;
  searchMap(search.query, event.embedding, event.step, -1);
}

function searchMap(query: NonNullable<SearchState['query']>, vector: Float32Array, queryStep: number, exclude: number) {
  const map = evaluation.map;
  if (!map) {
    patchSearch({ query, requestId: null, result: null, error: NO_MAP });
    return;
  }
  if (vector.length !== map.dim) {
    const error = `The encoder gave a ${vector.length}-dimensional h but the map holds ${map.dim}-dimensional ones: wait for the next map (“Map every”) and search again.`;
    patchSearch({ query, requestId: null, result: null, error });
    return;
  }
  try {
    const { rows, similarities } = cosineTopK(map.vectors, map.dim, vector, SEARCH_RESULTS, exclude);
    const items = Array.from(rows, (row, i) => ({ index: map.indices[row] ?? -1, similarity: similarities[i] ?? 0 }));
    const result = { mapStep: map.step, queryStep, searched: map.indices.length, items };
    patchSearch({ query, requestId: null, result, error: '' });
  } catch (error) {
    patchSearch({
      query,
      requestId: null,
      result: null,
      error: error instanceof Error ? error.message : String(error),
    });
  }
}

export function setMapFilter(update: Partial<MapFilter>): void {
  useAppStore.setState((s) => ({
    evaluation: { ...s.evaluation, mapFilter: { ...s.evaluation.mapFilter, ...update } },
  }));
}

/** Images selected on the map (data set indices); null or empty clears the selection. */
export function setMapSelection(indices: readonly number[] | null): void {
  patch({ mapSelection: indices && indices.length > 0 ? [...indices].sort((a, b) => a - b) : null });
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
