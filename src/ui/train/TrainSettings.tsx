import { CONFIG_LIMITS, type TrainDuration } from '../../protocol/config';
import { displayedTotalSteps, setConfig, setDuration, settingsLocked, stepsPerEpoch, useAppStore } from '../../store';
import { AugmentPreview } from '../augment-preview/AugmentPreview';
import { NumberField } from '../common/NumberField';
import { SelectField } from '../common/SelectField';
import { ArchitectureSummary, PeakLearningRate } from './ArchitectureSummary';
import { AutoConfigure, useAutoMark } from './AutoConfigure';
import { ChunkField } from './ChunkField';
import { ENCODERS, HEADS, LR_SCALINGS, OPTIMIZERS, STEMS } from './labels';
import { StartFromWeights } from './StartFromWeights';

const UNITS = [
  { value: 'epochs', label: 'epochs' },
  { value: 'steps', label: 'steps' },
] as const satisfies readonly { value: TrainDuration['unit']; label: string }[];

/** The run's hyperparameters; disabled while a run is active. */
export function TrainSettings() {
  const config = useAppStore((s) => s.training.config);
  const locked = useAppStore(settingsLocked);
  const perEpoch = useAppStore(stepsPerEpoch);
  const total = useAppStore(displayedTotalSteps);
  const storeSize = useAppStore((s) => s.dataset.dataConfig.storeSize);
  const auto = {
    encoder: useAutoMark('encoder'),
    widthMultiplier: useAutoMark('widthMultiplier'),
    imageSize: useAutoMark('imageSize'),
    batchSize: useAutoMark('batchSize'),
  };
  const upscaled = config.imageSize > storeSize ? `Larger than the stored ${storeSize} px: views are upscaled.` : '';

  return (
    <form className="train-settings" aria-label="Training settings" onSubmit={(e) => e.preventDefault()}>
      <fieldset disabled={locked}>
        <legend>Run</legend>
        <div className="field-grid">
          <SelectField
            className="wide"
            label="Encoder"
            value={config.encoder}
            options={ENCODERS}
            onChange={(encoder) => setConfig({ encoder })}
            hint={auto.encoder}
          />
          <NumberField
            label="Width multiplier"
            value={config.widthMultiplier}
            min={0.0625}
            step="any"
            onChange={(widthMultiplier) => setConfig({ widthMultiplier })}
            hint={auto.widthMultiplier}
          />
          <NumberField
            label="Image size (px)"
            value={config.imageSize}
            min={CONFIG_LIMITS.imageSize.min}
            max={CONFIG_LIMITS.imageSize.max}
            step={1}
            onChange={(imageSize) => setConfig({ imageSize })}
            hint={[upscaled, auto.imageSize].filter(Boolean).join(' ') || undefined}
          />
          <NumberField
            label="Batch size"
            value={config.batchSize}
            min={CONFIG_LIMITS.batchSize.min}
            step={1}
            onChange={(batchSize) => setConfig({ batchSize })}
            hint={auto.batchSize}
          />
          <NumberField
            label="Train for"
            value={config.duration.value}
            min={1}
            step={1}
            onChange={(value) => setDuration({ value })}
          />
          <SelectField
            label="Duration unit"
            value={config.duration.unit}
            options={UNITS}
            onChange={(unit) => setDuration({ unit })}
          />
        </div>
        <p className="derived" data-testid="derived-steps">
          <span>
            Steps per epoch: <strong>{perEpoch}</strong>
          </span>
          <span>
            Total steps: <strong>{total}</strong>
          </span>
          <PeakLearningRate />
        </p>
      </fieldset>
      <AugmentPreview />
      <AutoConfigure />
      <details className="advanced-settings">
        <summary>Advanced settings</summary>
        <fieldset disabled={locked}>
          <legend>Model</legend>
          <div className="field-grid">
            <SelectField label="Stem" value={config.stem} options={STEMS} onChange={(stem) => setConfig({ stem })} />
            <SelectField
              label="Projection head"
              value={config.projectionHead}
              options={HEADS}
              onChange={(projectionHead) => setConfig({ projectionHead })}
            />
          </div>
          <ArchitectureSummary />
          <StartFromWeights />
        </fieldset>
        <fieldset disabled={locked}>
          <legend>Optimization</legend>
          <div className="field-grid">
            <ChunkField
              value={config.chunkSize}
              batchSize={config.batchSize}
              onChange={(chunkSize) => setConfig({ chunkSize })}
            />
            <NumberField
              label="Temperature"
              value={config.temperature}
              min={0}
              onChange={(temperature) => setConfig({ temperature })}
            />
            <NumberField
              label="Learning rate"
              value={config.learningRate}
              min={0}
              onChange={(learningRate) => setConfig({ learningRate })}
            />
            <SelectField
              label="Optimizer"
              value={config.optimizer}
              options={OPTIMIZERS}
              onChange={(optimizer) => setConfig({ optimizer })}
            />
            <SelectField
              label="Learning-rate scaling"
              value={config.learningRateScaling}
              options={LR_SCALINGS}
              onChange={(learningRateScaling) => setConfig({ learningRateScaling })}
            />
            <NumberField
              label="Weight decay"
              value={config.weightDecay}
              min={0}
              onChange={(weightDecay) => setConfig({ weightDecay })}
            />
            <NumberField label="Seed" value={config.seed} step={1} onChange={(seed) => setConfig({ seed })} />
            <NumberField
              label="Metrics every (steps)"
              value={config.metricsEvery}
              min={1}
              step={1}
              onChange={(metricsEvery) => setConfig({ metricsEvery })}
            />
          </div>
        </fieldset>
      </details>
    </form>
  );
}
