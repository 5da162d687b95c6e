/**
 * Results are kept for the analysis token in use only: when the bundle or the prompt grid changes,
 * the view worker frees every image's older results and their queries go too, so going back to
 * an earlier setting analyses again instead of showing results whose maps are gone.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { viewWorker } from '../compute/workers';
import { isOfOtherToken } from './analysisKeys';
import { useAnalysisToken } from './useAnalysisToken';

export function useOneAnalysisToken(): void {
  const token = useAnalysisToken();
  const queryClient = useQueryClient();
  useEffect(() => {
    if (token === undefined) return;
    queryClient.removeQueries({ predicate: (query) => isOfOtherToken(query.queryKey, token) });
    void viewWorker().keepOnlyToken(token);
  }, [token, queryClient]);
}
