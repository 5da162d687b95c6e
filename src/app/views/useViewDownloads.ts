/**
 * PNG downloads of the views as shown, at full size: the layer over the photo at the chosen
 * opacity, and the colour bar below a heatmap when that setting is on.
 */
import type { LayerChoice } from '../../worker/viewProtocol';
import { viewWorker } from '../compute/workers';
import { useViewSettings } from '../state/viewSettingsStore';
import { downloadFile, fileStem } from './downloadFile';
import type { ViewLayers } from './useViewLayers';

export function viewDownload(
  layers: ViewLayers,
  suffix: string,
  choice: LayerChoice | undefined,
  opacity: number,
): (() => void) | undefined {
  const { item, ref } = layers;
  if (!item?.image || !choice) return undefined;
  const analysis = ref ?? { imageId: item.id, token: '' };
  return () => {
    // Read at the click, so the download follows the checkbox as it is then.
    const { colourBarInPng } = useViewSettings.getState();
    void viewWorker()
      .viewPng(analysis, choice, opacity, colourBarInPng)
      .then((png) => downloadFile(`${fileStem(item.name)}.${suffix}.png`, png, 'image/png'));
  };
}
