import type { PointerEvent, ReactNode } from 'react';
import { useHoverStore } from '../state/hoverStore';
import { LayerImage } from './LayerImage';

export interface ViewLayer {
  /** Accessible name of the layer canvas. */
  label: string;
  png: Blob | undefined;
  current: boolean;
  opacity: number;
}

interface ViewPanelProps {
  title: string;
  imageName: string;
  /** The image's own size (pointer positions are image pixels). */
  width: number;
  height: number;
  photo: Blob | undefined;
  layer?: ViewLayer;
  status?: string;
  readout: ReactNode;
  /** What the layer's colours mean (a colour bar), under the view. */
  scale?: ReactNode;
  onDownload: (() => void) | undefined;
}

/** One aligned view: the photo with an optional layer over it, and a readout of the hovered pixel. */
export function ViewPanel({
  title,
  imageName,
  width,
  height,
  photo,
  layer,
  status,
  readout,
  scale,
  onDownload,
}: ViewPanelProps) {
  const setPixel = useHoverStore((state) => state.setPixel);
  const onPointerMove = (event: PointerEvent<HTMLDivElement>) => {
    const rect = event.currentTarget.getBoundingClientRect();
    const x = Math.floor(((event.clientX - rect.left) / rect.width) * width);
    const y = Math.floor(((event.clientY - rect.top) / rect.height) * height);
    setPixel(x >= 0 && y >= 0 && x < width && y < height ? { x, y } : null);
  };
  return (
    <figure className="view-panel">
      <figcaption>
        <span>{title}</span>
        <button type="button" className="small" onClick={onDownload} disabled={!onDownload}>
          Save PNG<span className="visually-hidden"> of the {title} view</span>
        </button>
      </figcaption>
      <div
        className="view-stack"
        style={{ aspectRatio: `${width} / ${height}` }}
        onPointerMove={onPointerMove}
        onPointerLeave={() => setPixel(null)}
      >
        <LayerImage png={photo} label={`${title}: photo ${imageName}`} />
        {layer && (
          <LayerImage
            png={layer.png}
            label={layer.label}
            current={layer.current}
            className="layer"
            opacity={layer.opacity}
          />
        )}
        {status && <p className="view-status">{status}</p>}
      </div>
      {scale}
      {readout}
    </figure>
  );
}
