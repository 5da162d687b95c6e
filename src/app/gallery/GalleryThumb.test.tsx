import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { GalleryItem } from '../state/galleryStore';
import { GalleryThumb } from './GalleryThumb';

/** The thumbnail's button and the text its aria-describedby points at. */
function renderThumb(item: GalleryItem) {
  const html = renderToStaticMarkup(
    <QueryClientProvider client={new QueryClient()}>
      <GalleryThumb item={item} selected={false} auprc={undefined} />
    </QueryClientProvider>,
  );
  const button = /<button[^>]*class="thumb"[^>]*>/.exec(html)?.[0] ?? '';
  const describedBy = /aria-describedby="([^"]+)"/.exec(button)?.[1];
  const description = describedBy
    ? new RegExp(`<span id="${describedBy}" hidden="">([^<]*)</span>`).exec(html)?.[1]
    : undefined;
  return { button, description };
}

describe('GalleryThumb', () => {
  it('carries why an image failed as its description, without being selected', () => {
    const { button, description } = renderThumb({
      id: 'x',
      name: 'x.png',
      thumbnailUrl: '',
      wanted: true,
      imageError: 'x.png is empty (0 bytes).',
    });
    expect(button).toContain('aria-label="x.png, error"');
    expect(button).toContain('title="x.png is empty (0 bytes)."');
    expect(description).toBe('x.png is empty (0 bytes).');
  });

  it('has no description when nothing went wrong', () => {
    const { button, description } = renderThumb({
      id: 'y',
      name: 'y.png',
      thumbnailUrl: 'blob:y',
      wanted: true,
    });
    expect(button).toContain('aria-label="y.png, reading"');
    expect(button).not.toContain('aria-describedby');
    expect(description).toBeUndefined();
  });
});
