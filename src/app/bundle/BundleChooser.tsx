import { useId, useState, type FormEvent } from 'react';
import {
  PRECISION_PREFERENCES,
  type PrecisionPreference,
} from '../../core/runtime/weightPrecision';
import { demoManifestUrl, hasDemoBundle } from '../config';
import { useBundleStore } from '../state/bundleStore';

const precisionLabels: Record<PrecisionPreference, string> = {
  auto: 'Automatic (fp16 on WebGPU, int8 on WebAssembly)',
  fp32: 'fp32 (exact, largest)',
  fp16: 'fp16 (WebGPU with shader-f16)',
  int8: 'int8 (smallest)',
};

/** Pick the demo bundle or any manifest URL; the worker keeps the current one until the new one works. */
export function BundleChooser({ loading }: { loading: boolean }) {
  const request = useBundleStore((state) => state.request);
  const requestBundle = useBundleStore((state) => state.requestBundle);
  const allowWebGpu = useBundleStore((state) => state.allowWebGpu);
  const setAllowWebGpu = useBundleStore((state) => state.setAllowWebGpu);
  const precision = useBundleStore((state) => state.precision);
  const setPrecision = useBundleStore((state) => state.setPrecision);
  const precisionId = useId();
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
      <div className="control">
        <label htmlFor={precisionId}>Precision</label>
        <select
          id={precisionId}
          value={precision}
          disabled={loading}
          aria-describedby={`${precisionId}-hint`}
          onChange={(event) => setPrecision(event.target.value as PrecisionPreference)}
        >
          {PRECISION_PREFERENCES.map((option) => (
            <option key={option} value={option}>
              {precisionLabels[option]}
            </option>
          ))}
        </select>
        <span id={`${precisionId}-hint`} className="muted hint">
          For bundles that ship fp16 or int8 weights; a model without them runs fp32.
        </span>
      </div>
    </form>
  );
}
