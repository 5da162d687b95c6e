import { useQueryClient } from '@tanstack/react-query';
import { useMetrics } from '../queries/useMetrics';
import { useAnalysisToken } from '../queries/useAnalysisToken';
import { useGalleryStore } from '../state/galleryStore';
import { GalleryThumb } from './GalleryThumb';
import { removeImages } from './removeImages';
import { useQueueProgress } from './useQueueProgress';
import { useSamples } from './useSamples';

/** The queue's state in words, with a bar of the analyses finished. */
function QueueStatus() {
  const progress = useQueueProgress();
  const wantAll = useGalleryStore((state) => state.wantAll);
  const hasBundle = useAnalysisToken() !== undefined;
  const finished = progress.done + progress.failed;
  const wanted = progress.total - progress.waiting;
  const parts = [`${progress.done} of ${progress.total} analysed`];
  if (progress.running) parts.push(`${progress.running} running`);
  if (progress.queued) parts.push(`${progress.queued} queued`);
  if (progress.failed) parts.push(`${progress.failed} failed`);
  if (progress.waiting) parts.push(`${progress.waiting} not analysed yet`);
  return (
    <div className="queue-status">
      <progress
        max={Math.max(1, wanted)}
        value={finished}
        aria-label="Analyses finished"
        aria-valuetext={parts.join(', ')}
      />
      <output aria-live="polite">{hasBundle ? parts.join(' · ') : 'Waiting for a bundle'}</output>
      {progress.waiting > 0 && (
        <button type="button" className="small" onClick={wantAll}>
          Analyse all
        </button>
      )}
    </div>
  );
}

/** All images of the session; arrow keys move between them, Delete removes one. */
export function Gallery() {
  const items = useGalleryStore((state) => state.items);
  const selectedId = useGalleryStore((state) => state.selectedId);
  const queryClient = useQueryClient();
  const metrics = useMetrics();
  const samples = useSamples();
  const refinedAuprc = new Map(
    metrics.data?.refined.perImage.map((entry) => [entry.image, entry.auprc]),
  );
  if (items.length === 0) {
    return samples.count > 0 ? (
      <nav className="gallery empty" aria-label="Images">
        <button type="button" className="small" onClick={samples.addAgain}>
          Add the {samples.count} sample images again
        </button>
      </nav>
    ) : null;
  }
  const allIds = items.map((item) => item.id);
  return (
    <nav className="gallery" aria-label="Images">
      <QueueStatus />
      <ul>
        {items.map((item) => (
          <GalleryThumb
            key={item.id}
            item={item}
            selected={item.id === selectedId}
            auprc={item.groundTruth ? refinedAuprc.get(item.name) : undefined}
          />
        ))}
      </ul>
      <button
        type="button"
        className="small gallery-clear"
        onClick={() => removeImages(queryClient, allIds)}
      >
        Remove all images
      </button>
    </nav>
  );
}
