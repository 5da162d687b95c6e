import { useMetrics } from '../queries/useMetrics';
import { useGalleryStore } from '../state/galleryStore';
import { GalleryThumb } from './GalleryThumb';

/** All images of the session; arrow keys move between them. */
export function Gallery() {
  const items = useGalleryStore((state) => state.items);
  const selectedId = useGalleryStore((state) => state.selectedId);
  const metrics = useMetrics();
  const refinedAuprc = new Map(
    metrics.data?.refined.perImage.map((entry) => [entry.image, entry.auprc]),
  );
  if (items.length === 0) return null;
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
    </nav>
  );
}
