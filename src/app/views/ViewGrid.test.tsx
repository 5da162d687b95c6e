import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { AnalysisSummary } from '../../worker/protocol';
import type { GalleryItem } from '../state/galleryStore';
import type { ViewLayers } from './useViewLayers';
import { ViewGrid } from './ViewGrid';

const item: GalleryItem = {
  id: 'image-1',
  name: 'road.png',
  thumbnailUrl: '',
  wanted: true,
  image: { width: 73, height: 45 },
};
const picture = (choice: ViewLayers['image']['choice']) => ({
  png: undefined,
  current: false,
  choice,
});
const summary: AnalysisSummary = {
  requestId: 'image-1',
  width: 73,
  height: 45,
  maskCount: 7,
  bins: 20,
  timings: {},
  backend: { provider: 'wasm', description: 'WebAssembly, 1 thread', precisions: {} },
};

/** What useViewLayers would give at a point of an analysis (pictures not made yet). */
function layers(state: 'running' | 'raw' | 'done' | 'no-segmenter'): ViewLayers {
  const result =
    state === 'done'
      ? summary
      : state === 'no-segmenter'
        ? { ...summary, maskCount: null }
        : undefined;
  return {
    item,
    analysis: {} as ViewLayers['analysis'],
    result,
    progress:
      state === 'raw'
        ? { token: 't', phase: 'running', rawReady: true, promptsDone: 12, promptCount: 64 }
        : { token: 't', phase: state === 'running' ? 'running' : 'done' },
    ref: { imageId: 'image-1', token: 't' },
    rawReady: state !== 'running',
    refinedReady: result !== undefined,
    refinedChoice: { kind: 'refined', smoothing: true, bins: 20 },
    colouring: { colormap: 'inferno', range: [0, 1] },
    colourBar: undefined,
    width: 73,
    height: 45,
    image: picture({ kind: 'image' }),
    raw: picture(undefined),
    refined: picture(undefined),
    masks: picture(undefined),
  };
}

const render = (state: Parameters<typeof layers>[0]) =>
  renderToStaticMarkup(
    <QueryClientProvider client={new QueryClient()}>
      <ViewGrid layers={layers(state)} />
    </QueryClientProvider>,
  );

describe('ViewGrid', () => {
  it('names the four views and says what each is waiting for', () => {
    const running = render('running');
    for (const label of [
      'Image: photo road.png',
      'Raw anomaly heatmap of road.png',
      'Refined anomaly heatmap of road.png',
      'SAM 2 masks of road.png',
    ]) {
      expect(running).toContain(`aria-label="${label}`);
    }
    expect(running).toContain('Computing the anomaly score…');
    expect(running).toContain('Waiting for SAM 2 masks…');
    // Nothing claims to be ready before its picture is shown.
    expect(running).not.toContain('data-ready="true"');
  });

  it('counts the SAM 2 prompts once the raw map is there, then the masks', () => {
    const raw = render('raw');
    expect(raw).not.toContain('Computing the anomaly score');
    expect(raw).toContain('SAM 2 masks… 12/64 prompts');
    expect(render('done')).toContain('aria-label="SAM 2 masks of road.png (7 masks)"');
  });

  it('says so when the bundle has no segmenter', () => {
    const html = render('no-segmenter');
    expect(html).toContain('This bundle has no SAM 2 segmenter');
    expect(html).not.toContain('prompts');
  });
});
