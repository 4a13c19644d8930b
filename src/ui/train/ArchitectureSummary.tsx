import { summarizeArchitecture } from '../../protocol/architecture';
import { peakLearningRate } from '../../protocol/config';
import { useAppStore } from '../../store';
import { formatParams } from '../format';

function formatFlops(flops: number): string {
  if (flops >= 1e9) return `${(flops / 1e9).toFixed(2)} GFLOPs`;
  return `${(flops / 1e6).toFixed(1)} MFLOPs`;
}

/** Size and cost of the chosen network, computed from the same plan the worker builds, before a run starts. */
export function ArchitectureSummary() {
  const config = useAppStore((s) => s.training.config);
  const summary = summarizeArchitecture(config);
  return (
    <p className="derived" data-testid="architecture-summary">
      <span>
        Encoder: <strong data-testid="encoder-params">{formatParams(summary.encoderParams)}</strong> parameters
      </span>
      <span>
        <strong data-testid="encoder-flops">{formatFlops(summary.encoderFlops)}</strong> per image (forward)
      </span>
      <span>
        {summary.stem === 'cifar' ? 'CIFAR' : 'ImageNet'} stem, h is {summary.representationDim}-d
      </span>
      <span>Head: {formatParams(summary.headParams)} parameters</span>
    </p>
  );
}

/** The learning rate the warm-up reaches, after scaling. */
export function PeakLearningRate() {
  const config = useAppStore((s) => s.training.config);
  return (
    <span data-testid="peak-learning-rate">
      Peak learning rate: <strong>{Number(peakLearningRate(config).toPrecision(4))}</strong>
    </span>
  );
}
