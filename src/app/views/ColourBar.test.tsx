import { interpolateInferno } from 'd3-scale-chromatic';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { parseCssColour, THRESHOLD_VIEW_COLOURS } from '../../core/render';
import { ColourBar } from './ColourBar';

const textOf = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .replace(/&lt;/g, '<')
    .trim();

describe('ColourBar', () => {
  it('shows the colour map with lo, middle and hi of the range, and says so', () => {
    const html = renderToStaticMarkup(
      <ColourBar style={{ kind: 'colour', colormap: 'inferno', range: [0.17, 0.69] }} />,
    );
    expect(html).toMatch(/role="img" aria-label="Colour scale inferno from 0\.170 to 0\.690"/);
    expect(textOf(html)).toBe('0.170 0.430 0.690');
    expect(html).toContain('data-lo="0.17" data-hi="0.69"');
    const stops = [
      ...(/linear-gradient\(to right, (.*?)\)"/.exec(html)?.[1] ?? '').matchAll(
        /rgb\((\d+), (\d+), (\d+)\) ([\d.]+)%/g,
      ),
    ].map((match) => [Number(match[1]), Number(match[2]), Number(match[3]), Number(match[4])]);
    expect(stops).toHaveLength(17);
    // inferno starts at #000004 and ends at #fcffa4; halfway is entry 128 of 255.
    expect(stops[0]).toEqual([0, 0, 4, 0]);
    expect(stops[16]).toEqual([252, 255, 164, 100]);
    expect(stops[8]).toEqual([...parseCssColour(interpolateInferno(128 / 255)), 50]);
    // The numbers sit at the bar's ends and middle.
    expect(
      [...html.matchAll(/data-at="([\d.]+)" style="left:([\d.]+)%"/g)].map((m) => m.slice(1)),
    ).toEqual([
      ['0', '0'],
      ['0.5', '50'],
      ['1', '100'],
    ]);
  });

  it('shows the threshold view as its two colours with the threshold', () => {
    const html = renderToStaticMarkup(
      <ColourBar style={{ kind: 'threshold', threshold: 0.6, colours: THRESHOLD_VIEW_COLOURS }} />,
    );
    expect(html).toContain('aria-label="Threshold view: white at or above 0.60, darkened below"');
    expect(textOf(html)).toBe('< 0.60 ≥ 0.60');
    expect(html).toContain('background:rgba(0, 0, 0, 0.627)');
    expect(html).toContain('background:rgba(255, 255, 255, 1)');
    expect(html).not.toContain('gradient');
  });
});
