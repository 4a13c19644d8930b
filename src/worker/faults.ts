/**
 * The one place that says what kind of failure an error is. Code branches on the kind (protocol
 * FailureKind), never on the sentence; the patterns below are the only ones that read error messages.
 */
import type { TrainConfig } from '../protocol/config';
import type { FailureKind, FaultKind } from '../protocol/messages';

const OUT_OF_MEMORY = /out of memory|\bOOM\b|failed to allocate|allocation failed|exceeds the max|createBuffer failed/i;
const DEVICE_LOST = /device (is |was )?lost|GPUDevice.*(lost|destroyed)|device.*destroyed|instance dropped/i;

function messageOf(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * Which fault the recovery can act on `error` is, or null. `deviceLost`: what the device's `lost`
 * promise said (an error from a submit can arrive before it settles, with any message).
 */
export function classifyFault(error: unknown, deviceLost = false): FaultKind | null {
  const message = messageOf(error);
  if (deviceLost || DEVICE_LOST.test(message)) return 'device-lost';
  if (OUT_OF_MEMORY.test(message)) return 'out-of-memory';
  return null;
}

const FAILURE_KINDS: readonly FailureKind[] = ['out-of-memory', 'device-lost', 'diverged'];

/** The kind an error event carries: an error's own `kind` (StepDoesNotFitError, divergence) or its fault. */
export function failureKind(error: unknown): FailureKind | null {
  const own = error instanceof Error && 'kind' in error ? (error as { kind: unknown }).kind : null;
  if (FAILURE_KINDS.includes(own as FailureKind)) return own as FailureKind;
  return classifyFault(error);
}

/** What a person can do about a training step that failed with `error`: the status line's text. */
export function adviceFor(error: unknown, config: Pick<TrainConfig, 'batchSize' | 'imageSize'>): string {
  const message = error instanceof Error ? error.message : String(error);
  switch (classifyFault(error)) {
    case 'out-of-memory':
      return `The GPU ran out of memory at batch size ${config.batchSize} and image size ${config.imageSize} px: lower the batch size, the image size or the width multiplier, then start again. (${message})`;
    case 'device-lost':
      return `The GPU device was lost (driver reset or the tab was in the background too long). Reload the page to start the backend again. (${message})`;
    case null:
      return message;
  }
}

/** Test-only (worker/test-hooks.ts): a step of a run whose config makes this return an error fails with it. */
export const injectedStepFault: { make: ((config: TrainConfig) => Error | null) | null } = { make: null };
