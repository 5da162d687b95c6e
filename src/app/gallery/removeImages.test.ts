import { QueryClient } from '@tanstack/react-query';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { analysisKey, viewKey } from '../queries/analysisKeys';
import { useAnalysisProgressStore } from '../state/analysisProgressStore';
import { useGalleryStore } from '../state/galleryStore';
import { removeImages } from './removeImages';

const forgotten: string[][] = [];
vi.mock('../compute/workers', () => ({
  viewWorker: () => ({
    forgetImages: (ids: string[]) => {
      forgotten.push(ids);
      return Promise.resolve();
    },
  }),
}));

const item = (id: string) => ({ id, name: `${id}.png`, thumbnailUrl: '', wanted: true });

beforeEach(() => {
  useGalleryStore.setState({ items: [item('a'), item('b')], selectedId: 'a', inputMessages: [] });
  useAnalysisProgressStore.setState({ byImage: {} });
  forgotten.length = 0;
});

describe('removeImages', () => {
  it('aborts the running analysis and forgets the results, views and progress of removed images only', async () => {
    const queryClient = new QueryClient();
    let signal: AbortSignal | undefined;
    const running = queryClient.fetchQuery({
      queryKey: analysisKey('a', 'bundle#1'),
      queryFn: (context) => {
        signal = context.signal;
        return new Promise<never>(() => undefined);
      },
    });
    running.catch(() => undefined);
    queryClient.setQueryData(
      viewKey({ imageId: 'a', token: 'bundle#1' }, 'layer', 'refined', 20),
      'layer a',
    );
    queryClient.setQueryData(analysisKey('b', 'bundle#1'), 'result b');
    const { update } = useAnalysisProgressStore.getState();
    update('a', 'bundle#1', { phase: 'running' });
    update('b', 'bundle#1', { phase: 'done' });

    removeImages(queryClient, ['a']);

    expect(signal?.aborted).toBe(true);
    expect(
      queryClient.getQueryData(
        viewKey({ imageId: 'a', token: 'bundle#1' }, 'layer', 'refined', 20),
      ),
    ).toBeUndefined();
    expect(queryClient.getQueryData(analysisKey('b', 'bundle#1'))).toBe('result b');
    expect(Object.keys(useAnalysisProgressStore.getState().byImage)).toEqual(['b']);
    expect(useGalleryStore.getState().items.map((entry) => entry.id)).toEqual(['b']);
    expect(forgotten).toEqual([['a']]);
  });

  it('keeps one progress entry per image, replaced by a newer analysis token', () => {
    const { update } = useAnalysisProgressStore.getState();
    update('a', 'bundle#1', { phase: 'done', firstHeatmapMs: 5 });
    update('a', 'bundle#2', { phase: 'running' });
    expect(useAnalysisProgressStore.getState().byImage.a).toEqual({
      token: 'bundle#2',
      phase: 'running',
    });
  });
});
