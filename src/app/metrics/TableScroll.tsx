import type { ReactNode } from 'react';

/**
 * A wide table's own horizontal scroll, so a narrow window scrolls it instead of cutting it off
 * (its section clips what overflows). Focusable and named, so a keyboard can scroll it too; the
 * name is short and fixed (the caption holds settings' words, which label the settings).
 */
export function TableScroll({ label, children }: { label: string; children: ReactNode }) {
  return (
    // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex -- a scrollable region needs the focus to be scrolled by keys
    <div className="table-scroll" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
