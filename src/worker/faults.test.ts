import { describe, expect, it } from 'vitest';
import { DEFAULT_TRAIN_CONFIG } from '../protocol/config';
import { TrainingDivergedError } from './divergence';
import { adviceFor, classifyFault, failureKind } from './faults';
import { StepDoesNotFitError } from './step-does-not-fit';

describe('classifyFault', () => {
  it('recognises device loss by the lost promise or by the message', () => {
    expect(classifyFault(new Error('anything'), true)).toBe('device-lost');
    expect(classifyFault(new Error('OperationError: Device is lost'))).toBe('device-lost');
    expect(classifyFault(new Error('The GPUDevice was destroyed'))).toBe('device-lost');
  });

  it('recognises out-of-memory errors of tfjs and WebGPU', () => {
    expect(classifyFault(new Error('Failed to allocate GPU buffer: out of memory'))).toBe('out-of-memory');
    expect(classifyFault(new Error('Requested texture size [1x2] exceeds the max'))).toBe('out-of-memory');
    expect(classifyFault(new Error('GPU out of memory: createBuffer failed'))).toBe('out-of-memory');
    expect(classifyFault(new Error('The loss became NaN at step 3'))).toBeNull();
    expect(classifyFault('a string, not an Error')).toBeNull();
  });
});

describe('failureKind', () => {
  it("takes an error's own kind before its message", () => {
    expect(failureKind(new TrainingDivergedError(3, Number.NaN))).toBe('diverged');
    expect(failureKind(new StepDoesNotFitError('Batch size 512 does not fit', 64))).toBe('out-of-memory');
    expect(failureKind(new Error('Device is lost'))).toBe('device-lost');
    expect(failureKind(new Error('Load at least 2 images'))).toBeNull();
  });
});

describe('adviceFor', () => {
  const config = { ...DEFAULT_TRAIN_CONFIG, batchSize: 64, imageSize: 96 };
  it('names the settings to lower for out of memory, and reload for device loss', () => {
    expect(adviceFor(new Error('out of memory'), config)).toMatch(/batch size 64 and image size 96 px: lower/);
    expect(adviceFor(new Error('GPUDevice was lost'), config)).toMatch(/Reload the page/);
    expect(adviceFor(new Error('something else'), config)).toBe('something else');
  });
});
