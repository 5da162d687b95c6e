import { describe, expect, it } from 'vitest';
import { createRunLog, type ImageOutcome } from './runLog';

const done = (key: string): ImageOutcome => ({
  input: `/d/${key}.png`,
  key,
  status: 'done',
  totalMs: 12,
  warnings: [],
});

function capture(terminal: boolean) {
  let text = '';
  const log = createRunLog({ total: 4, terminal, write: (chunk) => (text += chunk) });
  return { log, text: () => text };
}

describe('run log', () => {
  it('draws one progress bar line on a terminal, with an ETA, and prints problems above it', () => {
    const { log, text } = capture(true);
    log.image(done('a'));
    log.image({ ...done('b'), status: 'failed', error: '/d/b.png could not be read' });
    log.image({ ...done('c'), warnings: ['"c" names several images'] });
    // The escape that clears the line, made visible.
    const screen = text().replaceAll('\x1b[K', '<clear>');
    expect(screen).toMatch(/\r<clear>\[#{6}-{18}\] 1\/4 25% [\d.]+ s\/image ETA \d+s {2}a/);
    expect(screen).toMatch(/\r<clear>\[2\/4\] \/d\/b\.png could not be read\n/);
    expect(screen).toMatch(/\/d\/c\.png: warning: "c" names several images\n/);
    expect(screen).toMatch(/3\/4 75%/);
    log.close();
    expect(text().endsWith('\r\x1b[K')).toBe(true);
  });

  it('writes plain lines elsewhere', () => {
    const { log, text } = capture(false);
    log.image(done('a'));
    log.image({ ...done('b'), status: 'skipped' });
    expect(text()).toBe(
      '[1/4] /d/a.png: 12 ms\n[2/4] /d/b.png: outputs complete, skipped (--resume)\n',
    );
  });
});
