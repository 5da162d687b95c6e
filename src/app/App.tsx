import { useEffect } from 'react';
import { BundlePanel } from './bundle/BundlePanel';
import { AppHeader } from './components/AppHeader';
import { initialManifestUrl } from './config';
import { AnalysisControls } from './controls/AnalysisControls';
import { ViewControls } from './controls/ViewControls';
import { DropZone } from './gallery/DropZone';
import { Gallery } from './gallery/Gallery';
import { useSamples } from './gallery/useSamples';
import { MetricsPanel } from './metrics/MetricsPanel';
import { useOneAnalysisToken } from './queries/useOneAnalysisToken';
import { useBundleStore } from './state/bundleStore';
import { ResultsArea } from './views/ResultsArea';

export function App() {
  useSamples();
  useOneAnalysisToken();
  useEffect(() => {
    const manifestUrl = initialManifestUrl();
    const { request, requestBundle } = useBundleStore.getState();
    if (manifestUrl && !request) requestBundle(manifestUrl);
  }, []);
  return (
    <div className="app">
      <AppHeader />
      <div className="layout">
        <aside className="sidebar">
          <BundlePanel />
          <DropZone />
          <ViewControls />
          <AnalysisControls />
        </aside>
        <main className="main">
          <Gallery />
          <ResultsArea />
          <MetricsPanel />
        </main>
      </div>
    </div>
  );
}
