import type { ImageStore } from '../core/data/image-store';
import { pytorchFiles } from '../core/export/pytorch-download';
import { serializeLayersModel } from '../core/export/serialize-encoder';
import { type BackendName, modelInputSpec } from '../protocol/config';
import type { ExportMetadata, WorkerEvent } from '../protocol/messages';
import type { TrainingRun } from './training-run';

/**
 * The 'exported' event of `run`'s encoder (LayersModel, metadata, PyTorch files, the optimizer's slots
 * when asked for) and the buffers to transfer with it.
 */
export async function exportedEvent(
  requestId: number,
  run: TrainingRun,
  backend: BackendName,
  store: ImageStore | null,
  withOptimizer: boolean,
): Promise<{ event: Extract<WorkerEvent, { type: 'exported' }>; transfer: ArrayBuffer[] }> {
  const { modelJson, weights } = await serializeLayersModel(run.model.encoderModel);
  const metadata = exportMetadata(run, backend, store?.length ?? 0);
  const pytorch = await pytorchFiles(run.model, run.config, run.step, withOptimizer ? run.optimizer : null);
  const imagePaths = [...(store?.paths ?? [])];
  return {
    event: { type: 'exported', requestId, modelJson, weights, metadata, pytorch, imagePaths },
    transfer: [weights, pytorch.encoder, pytorch.head, ...(pytorch.optimizer ? [pytorch.optimizer] : [])],
  };
}

/** What a downloaded encoder says about itself: input, preprocessing, config and training so far. */
export function exportMetadata(run: TrainingRun, backend: BackendName, imageCount: number): ExportMetadata {
  const size = run.config.imageSize;
  return {
    format: 'simclr-tab-encoder',
    appVersion: __APP_VERSION__,
    createdAt: new Date().toISOString(),
    ...modelInputSpec(size),
    representationDim: run.model.encoder.representationDim,
    config: run.config,
    stepsTrained: run.step,
    finalLoss: run.lastLoss,
    backend,
    imageCount,
  };
}
