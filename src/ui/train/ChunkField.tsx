import { useEffect, useId, useRef, useState } from 'react';
import { chunkProblem } from '../../protocol/config';

interface ChunkFieldProps {
  /** Images per chunk, or null for auto. */
  value: number | null;
  batchSize: number;
  onChange: (chunkSize: number | null) => void;
}

/** '' or 'auto' is auto; anything else is a number (NaN when it is not one, which validation names). */
const parse = (text: string): number | null => {
  const t = text.trim().toLowerCase();
  return t === '' || t === 'auto' ? null : Number(t);
};
const show = (value: number | null): string => (value === null ? 'auto' : Number.isNaN(value) ? '' : String(value));
const same = (a: number | null, b: number | null): boolean => a === b || (Number.isNaN(a) && Number.isNaN(b));

export const CHUNK_HELP =
  'Auto: the fewest chunks that fit memory. BatchNorm statistics are per chunk (as per-device BatchNorm ' +
  "in the SimCLR paper); the loss and gradients are the whole batch's. Splitting costs one extra forward " +
  'pass, about a third more time.';

/** Images per chunk of a step: 'auto' or a divisor of the batch of at least 2 (config.ts's chunkProblem). */
export function ChunkField({ value, batchSize, onChange }: ChunkFieldProps) {
  const id = useId();
  const [text, setText] = useState(() => show(value));
  const textRef = useRef(text);
  textRef.current = text;
  // Follow changes made elsewhere (a restored run, a reset) without fighting the person's typing.
  useEffect(() => {
    if (!same(parse(textRef.current), value)) setText(show(value));
  }, [value]);
  const problem = Number.isInteger(batchSize) && batchSize >= 2 ? chunkProblem(value, batchSize) : null;
  return (
    <div className="field">
      <label htmlFor={id}>Chunk (images)</label>
      <input
        id={id}
        type="text"
        inputMode="numeric"
        placeholder="auto"
        value={text}
        aria-invalid={problem !== null || undefined}
        aria-describedby={`${id}-hint`}
        onChange={(event) => {
          setText(event.target.value);
          onChange(parse(event.target.value));
        }}
      />
      <small id={`${id}-hint`} className="hint" data-testid="chunk-hint">
        {problem ?? CHUNK_HELP}
      </small>
    </div>
  );
}
