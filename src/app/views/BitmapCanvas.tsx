import { useEffect, useRef, useState } from 'react';
import type { RasterSize } from '../../core/render';

interface BitmapCanvasProps {
  /** The canvas's own size: the image's display size. */
  size: RasterSize;
  bitmap: ImageBitmap | undefined;
  label: string;
  className?: string;
  opacity?: number;
  clip?: string;
  /** False while an older bitmap stands in for the one being drawn. */
  current?: boolean;
}

/** Puts the bitmap on the canvas, or clears it when there is none; returns what it shows. */
function draw(
  canvas: HTMLCanvasElement,
  bitmap: ImageBitmap | undefined,
  size: RasterSize,
): ImageBitmap | undefined {
  const context = canvas.getContext('2d');
  if (!context) return undefined;
  // Counts redraws, so tests can wait for one without reading pixels back.
  canvas.dataset.draws = String(Number(canvas.dataset.draws ?? 0) + 1);
  context.clearRect(0, 0, size.width, size.height);
  if (!bitmap || bitmap.width !== size.width || bitmap.height !== size.height) return undefined;
  // A bitmap can be drawn into any number of canvases; drawing it is one GPU-side copy.
  context.drawImage(bitmap, 0, 0);
  return bitmap;
}

/** A bitmap from the view worker, drawn at the image's display size (CSS scales the canvas). */
export function BitmapCanvas({
  current = true,
  size,
  bitmap,
  label,
  className,
  opacity,
  clip,
}: BitmapCanvasProps) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [drawn, setDrawn] = useState<ImageBitmap>();
  useEffect(() => {
    if (canvasRef.current) setDrawn(draw(canvasRef.current, bitmap, size));
  }, [bitmap, size]);
  // The canvas is wrapped: jsx-a11y treats a canvas as interactive, so it cannot carry role="img".
  return (
    <div
      role="img"
      aria-label={label}
      className={className ? `canvas-layer ${className}` : 'canvas-layer'}
      data-ready={bitmap && current && drawn === bitmap ? 'true' : 'false'}
      style={{ opacity, clipPath: clip }}
    >
      <canvas ref={canvasRef} width={size.width} height={size.height} />
    </div>
  );
}
