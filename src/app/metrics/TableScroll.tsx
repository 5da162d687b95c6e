import type { ReactNode } from 'react';

/**
 * A wide table's own horizontal scroll, so a narrow window scrolls it instead of cutting it off
 * (its section clips what overflows). Focusable and named by the table's caption, so a keyboard
 * can scroll it too.
 */
export function TableScroll({ labelledBy, children }: { labelledBy: string; children: ReactNode }) {
  return (
    // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex -- a scrollable region needs the focus to be scrolled by keys
    <div className="table-scroll" role="region" aria-labelledby={labelledBy} tabIndex={0}>
      {children}
    </div>
  );
}
