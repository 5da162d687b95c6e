import { useState } from 'react';
import { useObjectUrl } from './useObjectUrl';

interface LayerImageProps {
  /** A PNG from the view worker at the image's display size. */
  png: Blob | undefined;
  label: string;
  className?: string;
  opacity?: number;
  clip?: string;
  /** False while an older picture stands in for the one being made. */
  current?: boolean;
}

/**
 * A view layer as an image element: the browser decodes and scales it off the main thread, and
 * every element showing the same PNG shares one decoded copy.
 */
export function LayerImage({
  current = true,
  png,
  label,
  className,
  opacity,
  clip,
}: LayerImageProps) {
  const url = useObjectUrl(png);
  // The URL on screen, and how many pictures have been shown (tests wait for a new one by it).
  const [shown, setShown] = useState<{ url: string; draws: number }>();
  return (
    <div
      role="img"
      aria-label={label}
      className={className ? `canvas-layer ${className}` : 'canvas-layer'}
      data-ready={url && current && shown?.url === url ? 'true' : 'false'}
      data-draws={shown?.draws ?? 0}
      style={{ opacity, clipPath: clip }}
    >
      {url && (
        <img
          src={url}
          alt=""
          decoding="async"
          onLoad={() => setShown((previous) => ({ url, draws: (previous?.draws ?? 0) + 1 }))}
        />
      )}
    </div>
  );
}
