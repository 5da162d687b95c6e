/**
 * The one key scheme for what the page knows about an image: every query about it starts with
 * `imageKey(imageId)` (so removing the image is one prefix), followed by what the value depends
 * on (the analysis token, then the view's settings).
 */
export const imageKey = (imageId: string) => ['image', imageId] as const;

export const analysisKey = (imageId: string, analysisToken: string) =>
  [...imageKey(imageId), 'analysis', analysisToken] as const;

/** A value the view worker derives from one analysis of the image (none yet: an unused key). */
export const viewKey = (
  analysis: { imageId: string; token: string } | undefined,
  ...settings: unknown[]
) => [...imageKey(analysis?.imageId ?? ''), 'view', analysis?.token ?? '', ...settings] as const;

/** Whether a key is about an image's analysis (or a view of it) under another token. */
export function isOfOtherToken(queryKey: readonly unknown[], analysisToken: string): boolean {
  const [scope, , kind, token] = queryKey;
  // Views of the photo alone have no token (''), so they stay.
  return (
    scope === 'image' &&
    (kind === 'analysis' || kind === 'view') &&
    token !== '' &&
    token !== analysisToken
  );
}
