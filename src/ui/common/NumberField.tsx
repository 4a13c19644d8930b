import { useEffect, useId, useRef, useState } from 'react';
import './field.css';

interface NumberFieldProps {
  label: string;
  value: number;
  onChange: (value: number) => void;
  disabled?: boolean | undefined;
  min?: number | undefined;
  max?: number | undefined;
  step?: number | 'any';
  /** A short note under the field. */
  hint?: string | null | undefined;
}

const parse = (text: string): number => (text.trim() === '' ? Number.NaN : Number(text));
const same = (a: number, b: number): boolean => a === b || (Number.isNaN(a) && Number.isNaN(b));

/**
 * A labelled number input that keeps what the person typed ('0.', '1e-') while committing every
 * parseable value; an empty or invalid field commits NaN, which validation then names.
 */
export function NumberField({ label, value, onChange, disabled, min, max, step = 'any', hint }: NumberFieldProps) {
  const id = useId();
  const [text, setText] = useState(() => (Number.isNaN(value) ? '' : String(value)));
  const textRef = useRef(text);
  textRef.current = text;

  // Follow changes made elsewhere (a preset button, a reset) without fighting the person's typing.
  useEffect(() => {
    if (!same(parse(textRef.current), value)) setText(Number.isNaN(value) ? '' : String(value));
  }, [value]);

  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="number"
        inputMode="decimal"
        value={text}
        min={min}
        max={max}
        step={step}
        disabled={disabled}
        aria-invalid={Number.isNaN(parse(text)) || undefined}
        aria-describedby={hint ? `${id}-hint` : undefined}
        onChange={(event) => {
          setText(event.target.value);
          onChange(parse(event.target.value));
        }}
      />
      {hint && (
        <small id={`${id}-hint`} className="hint">
          {hint}
        </small>
      )}
    </div>
  );
}
