import type { AugmentConfig } from '../../protocol/config';
import { applyAugmentPreset, setAugment, useAppStore } from '../../store';
import { NumberField } from '../common/NumberField';

const FIELDS: { key: keyof AugmentConfig; label: string; max?: number }[] = [
  { key: 'cropAreaMin', label: 'Crop area min', max: 1 },
  { key: 'cropAreaMax', label: 'Crop area max', max: 1 },
  { key: 'flipP', label: 'Flip probability', max: 1 },
  { key: 'jitterP', label: 'Colour jitter probability', max: 1 },
  { key: 'jitterStrength', label: 'Jitter strength' },
  { key: 'grayscaleP', label: 'Grayscale probability', max: 1 },
  { key: 'blurP', label: 'Blur probability', max: 1 },
];

/** The two views' random augmentation (SimCLR appendix A), with the paper's two presets. */
export function AugmentSettings({ disabled }: { disabled: boolean }) {
  const augment = useAppStore((s) => s.training.config.augment);
  return (
    <fieldset disabled={disabled}>
      <legend>Augmentation</legend>
      <div className="button-row">
        <button type="button" className="secondary small" onClick={() => applyAugmentPreset('cifar')}>
          SimCLR CIFAR
        </button>
        <button type="button" className="secondary small" onClick={() => applyAugmentPreset('imagenet')}>
          SimCLR ImageNet
        </button>
      </div>
      <div className="field-grid">
        {FIELDS.map(({ key, label, max }) => (
          <NumberField
            key={key}
            label={label}
            value={augment[key]}
            min={0}
            max={max}
            step={0.05}
            onChange={(value) => setAugment({ [key]: value })}
          />
        ))}
      </div>
      <p className="muted small">
        CIFAR: jitter strength 0.5, no blur (for small images). ImageNet: strength 1.0, blur p 0.5.
      </p>
    </fieldset>
  );
}
