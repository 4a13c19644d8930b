import type { TrainConfig } from '../protocol/config';

/** Turns engine errors into advice a person can act on. */
export function explainTrainingError(message: string, config: TrainConfig): string {
  if (/out of memory|OOM|allocation|exceeds the max/i.test(message)) {
    return `The GPU ran out of memory at batch size ${config.batchSize} and image size ${config.imageSize} px: lower the batch size, the image size or the width multiplier, then start again. (${message})`;
  }
  if (/device.*lost|GPUDevice/i.test(message)) {
    return `The GPU device was lost (driver reset or the tab was in the background too long). Reload the page to start the backend again. (${message})`;
  }
  return message;
}
