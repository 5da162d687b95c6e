import { useQueryClient } from '@tanstack/react-query';
import { useMetrics } from '../queries/useMetrics';
import { useGalleryStore } from '../state/galleryStore';
import { GalleryThumb } from './GalleryThumb';
import { removeImages } from './removeImages';

/** All images of the session; arrow keys move between them, Delete removes one. */
export function Gallery() {
  const items = useGalleryStore((state) => state.items);
  const selectedId = useGalleryStore((state) => state.selectedId);
  const queryClient = useQueryClient();
  const metrics = useMetrics();
  const refinedAuprc = new Map(
    metrics.data?.refined.perImage.map((entry) => [entry.image, entry.auprc]),
  );
  if (items.length === 0) return null;
  const allIds = items.map((item) => item.id);
  return (
    <nav className="gallery" aria-label="Images">
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
