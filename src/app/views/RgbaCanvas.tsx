import { useEffect, useRef } from 'react';

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
  useEffect(() => {
    const canvas = canvasRef.current;
    const context = canvas?.getContext('2d');
    if (!canvas || !context) return;
    // Counts redraws, so tests can wait for one without reading pixels back.
    canvas.dataset.draws = String(Number(canvas.dataset.draws ?? 0) + 1);
    if (!rgba || rgba.length !== width * height * 4) {
      context.clearRect(0, 0, width, height);
      return;
    }
    // ImageData wraps the buffer without taking it, so one buffer can feed several canvases.
    context.putImageData(
      new ImageData(rgba as Uint8ClampedArray<ArrayBuffer>, width, height),
      0,
      0,
    );
  }, [rgba, width, height]);
  // The canvas is wrapped: jsx-a11y treats a canvas as interactive, so it cannot carry role="img".
  return (
    <div
      role="img"
      aria-label={label}
      className={className ? `canvas-layer ${className}` : 'canvas-layer'}
      data-ready={rgba && current ? 'true' : 'false'}
      style={{ opacity, clipPath: clip }}
    >
      <canvas ref={canvasRef} width={width} height={height} />
    </div>
  );
}
