import type { GalleryItem } from '../state/galleryStore';

/** Problems with the selected image or its ground truth, shown where the image is shown. */
export function ImageNotices({
  item,
  analysisError,
}: {
  item: GalleryItem;
  analysisError: Error | null;
}) {
  return (
    <>
      {item.imageError && (
        <p role="alert" className="error">
          {item.imageError}
        </p>
      )}
      {item.groundTruthError && (
        <p role="alert" className="error">
          {item.groundTruthError}
        </p>
      )}
      {analysisError && (
        <p role="alert" className="error">
          The analysis of {item.name} failed: {analysisError.message}
        </p>
      )}
      {item.groundTruth && item.groundTruthName && (
        <p className="muted">Ground truth: {item.groundTruthName}</p>
      )}
    </>
  );
}
