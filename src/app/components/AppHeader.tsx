import { BackendBadge } from './BackendBadge';
import { ThemeToggle } from './ThemeToggle';

export function AppHeader() {
  return (
    <header className="app-header">
      <div>
        <h1>FlowCLAS Web</h1>
        <p className="tagline">
          Anomaly segmentation with a normalizing flow and SAM 2 masks, running entirely in your
          browser. Nothing leaves your machine.
        </p>
      </div>
      <div className="header-side">
        <BackendBadge />
        <ThemeToggle />
      </div>
    </header>
  );
}
