import { BackendBadge } from './components/BackendBadge';

export function App() {
  return (
    <main className="app">
      <header className="app-header">
        <h1>FlowCLAS Web</h1>
        <p className="tagline">
          Anomaly segmentation with a normalizing flow and SAM 2 masks, running entirely in your
          browser.
        </p>
      </header>
      <BackendBadge />
    </main>
  );
}
