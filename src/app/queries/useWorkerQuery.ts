/**
 * A value computed in the view worker, keyed by everything it depends on. The previous value
 * stays on screen while the next one is computed, so sliders never flash an empty view.
 */
import { skipToken, useQuery, type QueryKey } from '@tanstack/react-query';
import { inOwnTask } from '../compute/workers';

export function useWorkerQuery<T>(
  queryKey: QueryKey,
  compute: (() => Promise<T>) | undefined,
  /** Previous values are shown only within one scope (one image), never across. */
  scope: string | undefined,
) {
  return useQuery({
    queryKey,
    queryFn: compute ? () => inOwnTask(compute) : skipToken,
    staleTime: Infinity,
    gcTime: 20_000,
    retry: false,
    meta: { scope },
    placeholderData: (previous, previousQuery) =>
      previousQuery?.meta?.scope === scope ? previous : undefined,
  });
}
