import { useEffect, useRef, useState } from 'react';

interface RgbaCanvasProps {
  width: number;
  height: number;
  rgba: Uint8ClampedArray | undefined;
  label: string;
  className?: string;
  opacity?: number;
  clip?: string;
  /** False while an older buffer stands in for the one being computed. */
  current?: boolean;
}

/** Puts the buffer on the canvas, or clears it when there is none; returns what it shows. */
function draw(
  canvas: HTMLCanvasElement,
  rgba: Uint8ClampedArray | undefined,
  width: number,
  height: number,
): Uint8ClampedArray | undefined {
  const context = canvas.getContext('2d');
  if (!context) return undefined;
  // Counts redraws, so tests can wait for one without reading pixels back.
  canvas.dataset.draws = String(Number(canvas.dataset.draws ?? 0) + 1);
  if (!rgba || rgba.length !== width * height * 4) {
    context.clearRect(0, 0, width, height);
    return undefined;
  }
  // ImageData wraps the buffer without taking it, so one buffer can feed several canvases.
  context.putImageData(new ImageData(rgba as Uint8ClampedArray<ArrayBuffer>, width, height), 0, 0);
  return rgba;
}

/** An RGBA buffer (one pixel per image pixel) drawn at the image's own resolution. */
export function RgbaCanvas({
  current = true,
  width,
  height,
  rgba,
  label,
  className,
  opacity,
  clip,
}: RgbaCanvasProps) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  // The buffer the canvas shows now (drawing happens a task after the buffer arrives).
  const [drawn, setDrawn] = useState<Uint8ClampedArray>();
  useEffect(() => {
    // Each canvas draws in a task of its own: putImageData copies the whole buffer (4 MB for a
    // 1 MP image), and one result updates several views at once.
    const timer = setTimeout(() => {
      if (canvasRef.current) setDrawn(draw(canvasRef.current, rgba, width, height));
    }, 0);
    return () => clearTimeout(timer);
  }, [rgba, width, height]);
  // The canvas is wrapped: jsx-a11y treats a canvas as interactive, so it cannot carry role="img".
  return (
    <div
      role="img"
      aria-label={label}
      className={className ? `canvas-layer ${className}` : 'canvas-layer'}
      data-ready={rgba && current && drawn === rgba ? 'true' : 'false'}
      style={{ opacity, clipPath: clip }}
    >
      <canvas ref={canvasRef} width={width} height={height} />
    </div>
  );
}
