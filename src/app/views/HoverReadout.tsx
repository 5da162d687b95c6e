import type { AnalysisRef, MapChoice } from '../../worker/viewProtocol';
import { viewWorker } from '../compute/workers';
import { viewKey } from '../queries/analysisKeys';
import { choiceKey } from '../queries/useRefinedChoice';
import { useWorkerQuery } from '../queries/useWorkerQuery';
import { useHoverStore } from '../state/hoverStore';

interface HoverReadoutProps {
  analysis: AnalysisRef | undefined;
  refined: MapChoice;
  /** Which scores this view reads out. */
  show: readonly ('raw' | 'refined')[];
  rawReady: boolean;
  refinedReady: boolean;
}

const formatted = (value: number | undefined) => (value === undefined ? '—' : value.toFixed(3));

/** The scores under the pointer, read from the view worker's maps at that image pixel. */
export function HoverReadout({
  analysis,
  refined,
  show,
  rawReady,
  refinedReady,
}: HoverReadoutProps) {
  const pixel = useHoverStore((state) => state.pixel);
  const scores = useWorkerQuery(
    viewKey(analysis, 'scores-at', choiceKey(refined), pixel?.x, pixel?.y, rawReady, refinedReady),
    analysis && pixel && rawReady
      ? async () => ({
          pixel,
          ...(await viewWorker().scoresAt(analysis, refined, pixel.x, pixel.y)),
        })
      : undefined,
    analysis?.imageId,
  );
  if (!pixel) return <output className="readout">Hover to read scores</output>;
  // Until the new pixel's scores arrive, the last ones stay with their own coordinates.
  const shown =
    scores.data && rawReady ? scores.data : { pixel, raw: undefined, refined: undefined };
  const text = show.map((which) => `${which} ${formatted(shown[which])}`).join(', ');
  return (
    <output className="readout">
      ({shown.pixel.x}, {shown.pixel.y}): {text}
    </output>
  );
}
