import type { AnalysisRef, MapChoice } from '../../worker/viewProtocol';
import { viewWorker } from '../compute/workers';
import type { GalleryItem } from '../state/galleryStore';
import type { AnalysisSummary } from '../../worker/protocol';
import { downloadFile, fileStem } from '../views/downloadFile';

interface ResultExportsProps {
  item: GalleryItem | null;
  analysis: AnalysisRef | undefined;
  result: AnalysisSummary | undefined;
  refined: MapChoice;
}

/** The selected image's numbers as files: refined map (.npy, float32 [H, W]) and masks (COCO RLE JSON). */
export function ResultExports({ item, analysis, result, refined }: ResultExportsProps) {
  const stem = item ? fileStem(item.name) : 'image';
  const ready = analysis && result;
  return (
    <div className="button-row" role="group" aria-label="Export results">
      <button
        type="button"
        disabled={!ready}
        onClick={() => {
          if (!analysis) return;
          void viewWorker()
            .scoreMapNpy(analysis, refined)
            .then((bytes) =>
              downloadFile(`${stem}.refined.npy`, bytes, 'application/octet-stream'),
            );
        }}
      >
        Save refined map (.npy)
      </button>
      <button
        type="button"
        disabled={!ready || result.maskCount === null}
        onClick={() => {
          if (!analysis) return;
          void viewWorker()
            .masksJson(analysis)
            .then((json) => downloadFile(`${stem}.masks.json`, json, 'application/json'));
        }}
      >
        Save masks (JSON)
      </button>
    </div>
  );
}
