import { QueryClient } from '@tanstack/react-query';
import { beforeEach, describe, expect, it } from 'vitest';
import { analysisKey, progressKey, refinedKey } from '../queries/analysisKeys';
import { useAnalysisProgressStore } from '../state/analysisProgressStore';
import { useGalleryStore } from '../state/galleryStore';
import { removeImages } from './removeImages';

const item = (id: string) => ({ id, name: `${id}.png`, thumbnailUrl: '', wanted: true });

beforeEach(() => {
  useGalleryStore.setState({ items: [item('a'), item('b')], selectedId: 'a', inputMessages: [] });
  useAnalysisProgressStore.setState({ byKey: {} });
});

describe('removeImages', () => {
  it('aborts the running analysis and forgets the results and progress of removed images only', async () => {
    const queryClient = new QueryClient();
    let signal: AbortSignal | undefined;
    const running = queryClient.fetchQuery({
      queryKey: analysisKey('bundle#1', 'a'),
      queryFn: (context) => {
        signal = context.signal;
        return new Promise<never>(() => undefined);
      },
    });
    running.catch(() => undefined);
    queryClient.setQueryData(refinedKey('bundle#1', 'a', true, 20), 'refined a');
    queryClient.setQueryData(analysisKey('bundle#1', 'b'), 'result b');
    const { update } = useAnalysisProgressStore.getState();
    update(progressKey('bundle#1', 'a'), { phase: 'running' });
    update(progressKey('bundle#1', 'b'), { phase: 'done' });

    removeImages(queryClient, ['a']);

    expect(signal?.aborted).toBe(true);
    expect(queryClient.getQueryData(refinedKey('bundle#1', 'a', true, 20))).toBeUndefined();
    expect(queryClient.getQueryData(analysisKey('bundle#1', 'b'))).toBe('result b');
    expect(Object.keys(useAnalysisProgressStore.getState().byKey)).toEqual([
      progressKey('bundle#1', 'b'),
    ]);
    expect(useGalleryStore.getState().items.map((entry) => entry.id)).toEqual(['b']);
  });
});
