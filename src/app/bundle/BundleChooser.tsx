import { useId, useState, type FormEvent } from 'react';
import { demoManifestUrl, hasDemoBundle } from '../config';
import { useBundleStore } from '../state/bundleStore';

/** Pick the demo bundle or any manifest URL; the worker keeps the current one until the new one works. */
export function BundleChooser({ loading }: { loading: boolean }) {
  const request = useBundleStore((state) => state.request);
  const requestBundle = useBundleStore((state) => state.requestBundle);
  const allowWebGpu = useBundleStore((state) => state.allowWebGpu);
  const setAllowWebGpu = useBundleStore((state) => state.setAllowWebGpu);
  const isDemo = hasDemoBundle && request?.manifestUrl === demoManifestUrl();
  const [url, setUrl] = useState(request && !isDemo ? request.manifestUrl : '');
  const urlId = useId();
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = url.trim();
    if (trimmed) requestBundle(new URL(trimmed, document.baseURI).href);
  };
  return (
    <form className="bundle-chooser" onSubmit={onSubmit} aria-label="Choose a model bundle">
      <label htmlFor={urlId}>Manifest URL</label>
      <div className="input-row">
        <input
          id={urlId}
          // Text, not url: a manifest path relative to the app is fine too.
          type="text"
          inputMode="url"
          spellCheck={false}
          placeholder="https://example.org/my-bundle/manifest.json"
          value={url}
          onChange={(event) => setUrl(event.target.value)}
        />
        <button type="submit" disabled={loading || url.trim() === ''}>
          Load bundle
        </button>
        {hasDemoBundle && (
          <button
            type="button"
            disabled={loading || isDemo}
            onClick={() => requestBundle(demoManifestUrl())}
          >
            Use demo bundle
          </button>
        )}
      </div>
      <label className="control inline">
        <input
          type="checkbox"
          checked={allowWebGpu}
          disabled={loading}
          onChange={(event) => setAllowWebGpu(event.target.checked)}
        />
        Use WebGPU when available
      </label>
    </form>
  );
}
