/** PNG downloads of the views as shown: the layer composited over the photo at the chosen opacity. */
import { viewWorker } from '../compute/viewClient';
import { downloadFile, fileStem } from './downloadFile';
import type { ViewLayers } from './useViewLayers';

export function viewDownload(
  layers: ViewLayers,
  suffix: string,
  layer: Uint8ClampedArray | null | undefined,
  opacity: number,
): (() => void) | undefined {
  const { imageRgba, item, width, height } = layers;
  if (!imageRgba || !item || layer === undefined) return undefined;
  return () => {
    void viewWorker()
      .viewPng(width, height, imageRgba, layer, opacity)
      .then((png) => downloadFile(`${fileStem(item.name)}.${suffix}.png`, png, 'image/png'));
  };
}
