/** Query keys: every input that changes a result is in its key. */
export const analysisKey = (bundleToken: string, imageId: string) =>
  ['analysis', bundleToken, imageId] as const;

export const refinedKey = (
  bundleToken: string,
  imageId: string,
  smoothing: boolean,
  bins: number,
) => ['refined', bundleToken, imageId, smoothing, bins] as const;

export const progressKey = (bundleToken: string, imageId: string) => `${bundleToken}|${imageId}`;
