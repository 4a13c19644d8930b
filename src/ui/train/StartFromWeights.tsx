import { useRef } from 'react';
import type { StartWeightsSummary } from '../../protocol/start-weights';
import { chooseStartWeights, clearStartWeights, settingsLocked, useAppStore } from '../../store';
import { formatParams } from '../format';
import { ENCODERS } from './labels';

function describeWeights(summary: StartWeightsSummary, imageSize: number): string {
  const encoder = ENCODERS.find((e) => e.value === summary.encoder)?.label ?? summary.encoder;
  const parts = [
    `${encoder}, ${summary.stem === 'cifar' ? 'CIFAR' : 'ImageNet'} stem, width ×${summary.widthMultiplier}: ${formatParams(summary.parameters)} values (${summary.dtypes.join(', ')}) loaded into the encoder.`,
    `Expected input ${summary.expectedInput} px with ImageNet normalization (the app's own)${imageSize === summary.expectedInput ? '' : `; this run uses ${imageSize} px`}.`,
  ];
  if (summary.ignored.length > 0)
    parts.push(`Ignored: ${summary.ignored.join(', ')} (a classifier; the encoder ends before it).`);
  parts.push('The projection head starts from random values.');
  return parts.join(' ');
}

/** "Start from weights…": a torchvision/timm ResNet .safetensors the next run's encoder starts from. */
export function StartFromWeights() {
  const summary = useAppStore((s) => s.training.startWeights.summary);
  const error = useAppStore((s) => s.training.startWeights.error);
  const reading = useAppStore((s) => s.training.startWeights.reading);
  const imageSize = useAppStore((s) => s.training.config.imageSize);
  const locked = useAppStore(settingsLocked);
  const input = useRef<HTMLInputElement>(null);
  return (
    <section className="start-weights" aria-label="Start from weights">
      <div className="button-row">
        <button type="button" disabled={locked || reading} onClick={() => input.current?.click()}>
          Start from weights…
        </button>
        {summary && (
          <button type="button" disabled={locked} onClick={clearStartWeights}>
            Use random weights
          </button>
        )}
        <input
          ref={input}
          type="file"
          accept=".safetensors"
          hidden
          aria-label="Weights file (.safetensors)"
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (file) void chooseStartWeights(file);
          }}
        />
      </div>
      {summary ? (
        <p data-testid="start-weights-summary">
          Starts from <strong>{summary.fileName}</strong>: {describeWeights(summary, imageSize)}
        </p>
      ) : (
        <p className="muted">
          Optional: a ResNet-18/34/50 .safetensors with torchvision or timm names (this app's own export too).
        </p>
      )}
      {error && (
        <p className="error-text" role="alert" data-testid="start-weights-error">
          {error}
        </p>
      )}
    </section>
  );
}
