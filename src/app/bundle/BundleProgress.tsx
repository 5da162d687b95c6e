import { useBundleProgressStore } from '../state/bundleProgressStore';

const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(bytes < 1e6 ? 2 : 1)} MB`;

/** Per-file download progress in bytes; "cached" when a file came from this browser's cache. */
export function BundleProgress({ manifestUrl }: { manifestUrl: string | undefined }) {
  const files = useBundleProgressStore((state) => state.files);
  const progressOf = useBundleProgressStore((state) => state.manifestUrl);
  const cacheMessage = useBundleProgressStore((state) => state.cacheMessage);
  const entries = Object.entries(files);
  // Only the files of the bundle being loaded or in use; not those of a failed attempt.
  if (entries.length === 0 || progressOf !== manifestUrl) return null;
  const allCached = entries.every(([, file]) => file.ready && file.fromCache);
  const loaded = entries.reduce((sum, [, file]) => sum + file.loadedBytes, 0);
  const total = entries.reduce((sum, [, file]) => sum + file.totalBytes, 0);
  return (
    <div className="bundle-progress">
      <p className="total-progress" data-testid="bundle-total">
        <progress max={total || 1} value={loaded} aria-label="All model files" />{' '}
        {megabytes(loaded)} of {megabytes(total)} in {entries.length} file
        {entries.length === 1 ? '' : 's'}
      </p>
      {allCached && (
        <p className="cached-note" data-testid="bundle-cached">
          All model files came from this browser&apos;s cache; nothing was downloaded.
        </p>
      )}
      <ul aria-label="Model files">
        {entries.map(([name, file]) => (
          <li
            key={name}
            data-state={file.ready ? (file.fromCache ? 'cached' : 'downloaded') : 'loading'}
          >
            <span className="file-name">{name}</span>
            <progress
              max={file.totalBytes || 1}
              value={file.loadedBytes}
              aria-label={`${name} download`}
            />
            <span className="file-bytes">
              {file.ready
                ? file.fromCache
                  ? `cached · ${megabytes(file.totalBytes)}`
                  : `downloaded · ${megabytes(file.totalBytes)}`
                : `${megabytes(file.loadedBytes)} of ${megabytes(file.totalBytes)}`}
            </span>
          </li>
        ))}
      </ul>
      {cacheMessage && <p role="status">{cacheMessage}</p>}
    </div>
  );
}
