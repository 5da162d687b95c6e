import { describe, expect, it } from 'vitest';
import { analysisKey, imageKey, isOfOtherToken, viewKey } from './analysisKeys';

describe('query keys', () => {
  it('start every query about an image with its image key', () => {
    const prefix = imageKey('a');
    expect(analysisKey('a', 't').slice(0, prefix.length)).toEqual(prefix);
    expect(viewKey({ imageId: 'a', token: 't' }, 'layer').slice(0, prefix.length)).toEqual(prefix);
  });

  it('tell analyses and views of another token from those of this one and from the photo', () => {
    expect(isOfOtherToken(analysisKey('a', 'old'), 'new')).toBe(true);
    expect(isOfOtherToken(viewKey({ imageId: 'a', token: 'old' }, 'layer', 'raw'), 'new')).toBe(
      true,
    );
    expect(isOfOtherToken(analysisKey('a', 'new'), 'new')).toBe(false);
    expect(isOfOtherToken(viewKey({ imageId: 'a', token: '' }, 'layer', 'image'), 'new')).toBe(
      false,
    );
    expect(isOfOtherToken(['metrics', 'old'], 'new')).toBe(false);
  });
});
