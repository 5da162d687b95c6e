/** Query keys: every input that changes a result is in its key. */
export const analysisKey = (analysisToken: string, imageId: string) =>
  ['analysis', analysisToken, imageId] as const;

export const refinedKey = (
  analysisToken: string,
  imageId: string,
  smoothing: boolean,
  bins: number,
) => ['refined', analysisToken, imageId, smoothing, bins] as const;

export const progressKey = (analysisToken: string, imageId: string) =>
  `${analysisToken}|${imageId}`;

/** Which image a query or progress entry belongs to, so removing the image can drop it. */
export function imageIdOfQueryKey(queryKey: readonly unknown[]): string | undefined {
  const imageId = queryKey[0] === 'analysis' || queryKey[0] === 'refined' ? queryKey[2] : null;
  return typeof imageId === 'string' ? imageId : undefined;
}

export const isProgressKeyOf = (key: string, imageId: string) => key.endsWith(`|${imageId}`);
