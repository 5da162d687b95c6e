/** What an analysis depends on besides its image: the open bundle and the prompt grid. */
import { useAnalysisSettings } from '../state/analysisSettingsStore';
import { useBundleStore } from '../state/bundleStore';

export const analysisToken = (bundleToken: string, pointsPerSide: number | null) =>
  pointsPerSide === null ? bundleToken : `${bundleToken}~grid${pointsPerSide}`;

export function useAnalysisToken(): string | undefined {
  const bundleToken = useBundleStore((state) => state.active?.token);
  const pointsPerSide = useAnalysisSettings((state) => state.pointsPerSide);
  return bundleToken === undefined ? undefined : analysisToken(bundleToken, pointsPerSide);
}
