import { useId, useState } from 'react';
import { SMOOTHING_BINS_RANGE } from '../../core/defaults';

/** The bin count typed, or undefined when it is not a whole number in the accepted range. */
export function parseBinsInput(text: string): number | undefined {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) return undefined;
  const value = Number(trimmed);
  const { min, max } = SMOOTHING_BINS_RANGE;
  return value >= min && value <= max ? value : undefined;
}

/** What the field says under a value it refuses: the accepted range and the bins still used. */
export function binsInputMessage(inUse: number): string {
  const { min, max } = SMOOTHING_BINS_RANGE;
  return `Enter a whole number from ${min} to ${max}; still using ${inUse}.`;
}

/**
 * The smoothing bin count. A refused value (0, empty, over 1000, a fraction) stays in the field
 * with a message next to it, and the views keep the last accepted count.
 */
export function BinsInput({
  bins,
  disabled,
  onChange,
}: {
  bins: number;
  disabled: boolean;
  onChange: (bins: number) => void;
}) {
  // What the user typed while it is refused; null shows the count in use.
  const [refused, setRefused] = useState<string | null>(null);
  const inputId = useId();
  const messageId = useId();
  // The message sits outside the label, so it describes the field without becoming its name.
  return (
    <div className="control">
      <label htmlFor={inputId}>Smoothing bins</label>
      <input
        id={inputId}
        type="number"
        min={SMOOTHING_BINS_RANGE.min}
        max={SMOOTHING_BINS_RANGE.max}
        step={1}
        value={refused ?? bins}
        disabled={disabled}
        aria-invalid={refused !== null}
        aria-describedby={refused !== null ? messageId : undefined}
        onChange={(event) => {
          const value = parseBinsInput(event.target.value);
          setRefused(value === undefined ? event.target.value : null);
          if (value !== undefined) onChange(value);
        }}
      />
      {refused !== null && (
        <span id={messageId} className="error" role="alert">
          {binsInputMessage(bins)}
        </span>
      )}
    </div>
  );
}
