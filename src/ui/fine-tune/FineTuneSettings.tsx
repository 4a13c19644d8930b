import { LABEL_FRACTIONS, validateFineTuneConfig } from '../../protocol/fine-tune';
import { setFineTuneConfig, useAppStore } from '../../store';
import { NumberField } from '../common/NumberField';
import { SelectField } from '../common/SelectField';

const FRACTION_OPTIONS = LABEL_FRACTIONS.map((f) => ({ value: String(f), label: f === 1 ? 'all' : `${f * 100}%` }));
const HEAD_OPTIONS = [
  { value: 'probe', label: 'the linear probe (then fine-tune)' },
  { value: 'zero', label: 'zero (SimCLR v2)' },
] as const;
const INIT_OPTIONS = [
  { value: 'encoder', label: 'the trained encoder' },
  { value: 'random', label: 'random weights (baseline)' },
] as const;

/** The fine-tuning run's own settings: labelled share, steps, batch, learning rate and schedule, start point. */
export function FineTuneSettings({ disabled }: { disabled: boolean }) {
  const config = useAppStore((s) => s.fineTune.config);
  const problems = validateFineTuneConfig(config);
  return (
    <div className="fine-tune-settings">
      <SelectField
        label="Labelled images to train on"
        value={String(config.labelFraction)}
        options={FRACTION_OPTIONS}
        disabled={disabled}
        onChange={(value) => setFineTuneConfig({ labelFraction: Number(value) })}
        hint="Per class, seeded; at least one image per class. 20% of each class is held out whatever you pick."
      />
      <SelectField
        label="Start from"
        value={config.init}
        options={INIT_OPTIONS}
        disabled={disabled}
        onChange={(init) => setFineTuneConfig({ init })}
      />
      <SelectField
        label="Linear layer starts from"
        value={config.headInit}
        options={HEAD_OPTIONS}
        disabled={disabled}
        onChange={(headInit) => setFineTuneConfig({ headInit })}
        hint="The probe: logistic regression on the starting network's frozen features, so fine-tuning starts where it ends."
      />
      <NumberField
        label="Fine-tune steps"
        value={config.steps}
        min={1}
        step={1}
        disabled={disabled}
        onChange={(steps) => setFineTuneConfig({ steps })}
      />
      <NumberField
        label="Fine-tune batch size"
        value={config.batchSize}
        min={1}
        step={1}
        disabled={disabled}
        onChange={(batchSize) => setFineTuneConfig({ batchSize })}
      />
      <NumberField
        label="Fine-tune learning rate"
        value={config.learningRate}
        min={0}
        disabled={disabled}
        onChange={(learningRate) => setFineTuneConfig({ learningRate })}
        hint="AdamW; linear warm-up then cosine decay to 0."
      />
      <NumberField
        label="Fine-tune warm-up (share of steps)"
        value={config.warmupFraction}
        min={0}
        max={0.99}
        disabled={disabled}
        onChange={(warmupFraction) => setFineTuneConfig({ warmupFraction })}
      />
      <NumberField
        label="Fine-tune seed"
        value={config.seed}
        step={1}
        disabled={disabled}
        onChange={(seed) => setFineTuneConfig({ seed })}
      />
      <label className="checkbox-field">
        <input
          type="checkbox"
          checked={config.fromHeadLayer}
          disabled={disabled}
          onChange={(e) => setFineTuneConfig({ fromHeadLayer: e.target.checked })}
        />
        Keep the projection head&apos;s first layer (SimCLR v2)
      </label>
      {problems.length > 0 && (
        <p className="error-text" role="alert">
          {problems.join(' ')}
        </p>
      )}
    </div>
  );
}
