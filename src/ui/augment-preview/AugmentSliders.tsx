import { AUGMENT_PRESETS, type AugmentPresetName, matchingPreset } from '../../protocol/augment';
import type { AugmentConfig } from '../../protocol/config';
import { applyPreset, changeAugment, useAppStore } from '../../store';

interface Slider {
  key: keyof AugmentConfig;
  label: string;
  min: number;
  max: number;
  step: number;
}

/** Every parameter of the SimCLR recipe (paper appendix A defaults in protocol/config.ts). */
const SLIDERS: Slider[] = [
  { key: 'cropAreaMin', label: 'Crop area min', min: 0.01, max: 1, step: 0.01 },
  { key: 'cropAreaMax', label: 'Crop area max', min: 0.01, max: 1, step: 0.01 },
  { key: 'aspectMin', label: 'Aspect ratio min', min: 0.2, max: 1, step: 0.01 },
  { key: 'aspectMax', label: 'Aspect ratio max', min: 1, max: 5, step: 0.01 },
  { key: 'flipP', label: 'Flip probability', min: 0, max: 1, step: 0.05 },
  { key: 'jitterP', label: 'Colour jitter probability', min: 0, max: 1, step: 0.05 },
  { key: 'jitterStrength', label: 'Jitter strength s', min: 0, max: 2, step: 0.05 },
  { key: 'grayscaleP', label: 'Grayscale probability', min: 0, max: 1, step: 0.05 },
  { key: 'blurP', label: 'Blur probability', min: 0, max: 1, step: 0.05 },
  { key: 'blurSigmaMin', label: 'Blur sigma min', min: 0.05, max: 5, step: 0.05 },
  { key: 'blurSigmaMax', label: 'Blur sigma max', min: 0.05, max: 5, step: 0.05 },
];

/** The presets (one list, protocol/augment.ts) and which one the settings match. */
export function AugmentPresets() {
  const augment = useAppStore((s) => s.training.config.augment);
  const preset = matchingPreset(augment);
  return (
    <div className="augment-presets">
      <div className="button-row">
        {(Object.keys(AUGMENT_PRESETS) as AugmentPresetName[]).map((name) => (
          <button
            key={name}
            type="button"
            className="secondary small"
            aria-pressed={preset === name}
            title={AUGMENT_PRESETS[name].note}
            onClick={() => applyPreset(name)}
          >
            {AUGMENT_PRESETS[name].label}
          </button>
        ))}
      </div>
      <p className="muted small">{preset ? AUGMENT_PRESETS[preset].note : 'Custom settings.'}</p>
    </div>
  );
}

/** One slider per parameter, folded away; every change applies at once (and to a running run). */
export function AugmentSliders() {
  const augment = useAppStore((s) => s.training.config.augment);
  return (
    <details className="augment-params">
      <summary>Augmentation parameters</summary>
      <div className="augment-slider-grid">
        {SLIDERS.map(({ key, label, min, max, step }) => (
          <label key={key} className="augment-slider">
            <span>
              {label} <output>{augment[key].toFixed(2)}</output>
            </span>
            <input
              type="range"
              aria-label={label}
              min={min}
              max={max}
              step={step}
              value={augment[key]}
              onChange={(e) => changeAugment({ [key]: Number(e.currentTarget.value) })}
            />
          </label>
        ))}
      </div>
    </details>
  );
}
