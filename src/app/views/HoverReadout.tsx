import type { ScoreMap } from '../../core/types';
import { useHoverStore } from '../state/hoverStore';

interface HoverReadoutProps {
  maps: { label: string; scoreMap: ScoreMap | undefined }[];
}

/** The score under the pointer, read from the same pixel in every view. */
export function HoverReadout({ maps }: HoverReadoutProps) {
  const pixel = useHoverStore((state) => state.pixel);
  if (!pixel) return <output className="readout">Hover to read scores</output>;
  const values = maps.map(({ label, scoreMap }) => {
    const value =
      scoreMap && pixel.x < scoreMap.width && pixel.y < scoreMap.height
        ? scoreMap.data[pixel.y * scoreMap.width + pixel.x]
        : undefined;
    return `${label} ${value === undefined ? '—' : value.toFixed(3)}`;
  });
  return (
    <output className="readout">
      ({pixel.x}, {pixel.y}): {values.join(', ')}
    </output>
  );
}
