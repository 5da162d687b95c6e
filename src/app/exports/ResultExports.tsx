import type { ScoreMap } from '../../core/types';
import { viewWorker } from '../compute/viewClient';
import type { GalleryItem } from '../state/galleryStore';
import type { AnalysisResultMessage } from '../../worker/protocol';
import { downloadFile, fileStem } from '../views/downloadFile';

interface ResultExportsProps {
  item: GalleryItem | null;
  result: AnalysisResultMessage | undefined;
  refinedScoreMap: ScoreMap | undefined;
}

/** The selected image's numbers as files: refined map (.npy, float32 [H, W]) and masks (COCO RLE JSON). */
export function ResultExports({ item, result, refinedScoreMap }: ResultExportsProps) {
  const stem = item ? fileStem(item.name) : 'image';
  const masks = result?.masks;
  return (
    <div className="button-row" role="group" aria-label="Export results">
      <button
        type="button"
        disabled={!refinedScoreMap}
        onClick={() => {
          if (!refinedScoreMap) return;
          void viewWorker()
            .scoreMapNpy(refinedScoreMap)
            .then((bytes) =>
              downloadFile(`${stem}.refined.npy`, bytes, 'application/octet-stream'),
            );
        }}
      >
        Save refined map (.npy)
      </button>
      <button
        type="button"
        disabled={!masks}
        onClick={() => {
          if (!masks) return;
          void viewWorker()
            .masksJson(masks)
            .then((json) => downloadFile(`${stem}.masks.json`, json, 'application/json'));
        }}
      >
        Save masks (JSON)
      </button>
    </div>
  );
}
