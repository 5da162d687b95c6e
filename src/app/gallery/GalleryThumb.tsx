import { useQueryClient } from '@tanstack/react-query';
import { useAnalysisToken } from '../queries/useAnalysisToken';
import { useId, type DragEvent, type KeyboardEvent } from 'react';
import { useAnalysis } from '../queries/useAnalysis';
import { useAnalysisProgress } from '../state/analysisProgressStore';
import { useGalleryStore, type GalleryItem } from '../state/galleryStore';
import { attachGroundTruth } from './addFiles';
import { itemProblems, itemStatus, STATUS_TEXT } from './itemStatus';
import { removeImages } from './removeImages';

interface GalleryThumbProps {
  item: GalleryItem;
  selected: boolean;
  auprc: number | undefined;
}

const NAVIGATION_STEPS: Record<string, number> = {
  ArrowRight: 1,
  ArrowDown: 1,
  ArrowLeft: -1,
  ArrowUp: -1,
  Home: -Infinity,
  End: Infinity,
};

function focusItem(id: string | null) {
  if (!id) return;
  requestAnimationFrame(() =>
    document.querySelector<HTMLElement>(`[data-item-id="${CSS.escape(id)}"]`)?.focus(),
  );
}

const REMOVE_KEYS = new Set(['Delete', 'Backspace']);

/**
 * One image in the gallery: thumbnail, status, AUPRC, a remove button; a drop target for its
 * ground truth.
 */
export function GalleryThumb({ item, selected, auprc }: GalleryThumbProps) {
  const analysis = useAnalysis(item);
  const analysisToken = useAnalysisToken();
  const phase = useAnalysisProgress(item.id, analysisToken)?.phase;
  const select = useGalleryStore((state) => state.select);
  const selectNeighbour = useGalleryStore((state) => state.selectNeighbour);
  const queryClient = useQueryClient();
  const remove = () => {
    removeImages(queryClient, [item.id]);
    focusItem(useGalleryStore.getState().selectedId);
  };
  const status = itemStatus(item, analysis.isError ? 'error' : phase, analysisToken !== undefined);
  const problems = itemProblems(item, analysis.error).join(' ');
  const problemsId = useId();
  const onKeyDown = (event: KeyboardEvent) => {
    if (REMOVE_KEYS.has(event.key)) {
      event.preventDefault();
      remove();
      return;
    }
    const step = NAVIGATION_STEPS[event.key];
    if (step === undefined) return;
    event.preventDefault();
    focusItem(selectNeighbour(step));
  };
  const onDrop = (event: DragEvent) => {
    const file = event.dataTransfer.files[0];
    if (!file) return;
    event.preventDefault();
    event.stopPropagation();
    void attachGroundTruth(item.id, file, file.name);
  };
  const auprcText =
    auprc === undefined || Number.isNaN(auprc) ? '' : `AUPRC ${(auprc * 100).toFixed(1)}%`;
  const gtText = item.groundTruth
    ? 'with ground truth'
    : item.groundTruthError
      ? 'ground truth rejected'
      : '';
  return (
    <li className="gallery-item">
      <button
        type="button"
        className="thumb"
        data-item-id={item.id}
        data-status={status}
        aria-current={selected ? 'true' : undefined}
        tabIndex={selected ? 0 : -1}
        onClick={() => select(item.id)}
        onKeyDown={onKeyDown}
        aria-keyshortcuts="Delete Backspace"
        onDragOver={(event) => event.preventDefault()}
        onDrop={onDrop}
        aria-label={[item.name, STATUS_TEXT[status], auprcText, gtText].filter(Boolean).join(', ')}
        aria-describedby={problems ? problemsId : undefined}
        title={problems || item.note || undefined}
      >
        {item.imageError ? (
          <span className="thumb-placeholder" aria-hidden="true">
            ⚠
          </span>
        ) : (
          <img src={item.thumbnailUrl} alt="" />
        )}
        {/* Spaces between the lines keep the visible text a prefix of the name (WCAG 2.5.3). */}
        <span className="thumb-name">{item.name}</span>{' '}
        <span className={`thumb-status status-${status}`}>{STATUS_TEXT[status]}</span>{' '}
        {auprcText && <span className="thumb-metric">{auprcText}</span>}
      </button>
      {/* The reasons, as the thumbnail's description: read with it, not as text of their own. */}
      {problems && (
        <span id={problemsId} hidden>
          {problems}
        </span>
      )}
      {/* In the tab order with its image only, like the thumbnails themselves (roving focus). */}
      <button
        type="button"
        className="thumb-remove small"
        tabIndex={selected ? 0 : -1}
        onClick={remove}
      >
        <span aria-hidden="true">×</span>
        <span className="visually-hidden">Remove {item.name}</span>
      </button>
    </li>
  );
}
