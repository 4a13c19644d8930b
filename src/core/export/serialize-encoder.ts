import * as tf from '@tensorflow/tfjs';

export interface SerializedModel {
  /** model.json in the tfjs layers-model format, its weights manifest pointing at `weights.bin`. */
  modelJson: string;
  weights: ArrayBuffer;
}

export const WEIGHTS_FILE = 'weights.bin';

/** Serializes a LayersModel to the two files tf.loadLayersModel reads. */
export async function serializeLayersModel(model: tf.LayersModel): Promise<SerializedModel> {
  let artifacts: tf.io.ModelArtifacts | null = null;
  await model.save(
    tf.io.withSaveHandler(async (saved) => {
      artifacts = saved;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  const saved = artifacts as tf.io.ModelArtifacts | null;
  if (!saved?.modelTopology || !saved.weightSpecs || !saved.weightData) throw new Error('model serialization failed');
  const weightData = saved.weightData;
  const weights = Array.isArray(weightData) ? tf.io.concatenateArrayBuffers(weightData) : weightData;
  const modelJson = {
    format: 'layers-model',
    generatedBy: saved.generatedBy ?? `TensorFlow.js tfjs-layers v${tf.version.tfjs}`,
    convertedBy: null,
    modelTopology: saved.modelTopology,
    weightsManifest: [{ paths: [WEIGHTS_FILE], weights: saved.weightSpecs }],
  };
  return { modelJson: JSON.stringify(modelJson), weights };
}
