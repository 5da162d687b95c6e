import { useEffect } from 'react';
import { useViewSettings } from '../state/viewSettingsStore';

/** Dark by default; the choice is remembered. */
export function ThemeToggle() {
  const theme = useViewSettings((state) => state.theme);
  const set = useViewSettings((state) => state.set);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  return (
    <label className="control inline theme-toggle">
      <input
        type="checkbox"
        checked={theme === 'light'}
        onChange={(event) => set({ theme: event.target.checked ? 'light' : 'dark' })}
      />
      Light theme
    </label>
  );
}
