import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { BinsInput, binsInputMessage, parseBinsInput } from './BinsInput';

describe('the smoothing bins field', () => {
  it('accepts whole numbers from 1 to 1000', () => {
    expect(parseBinsInput('1')).toBe(1);
    expect(parseBinsInput(' 64 ')).toBe(64);
    expect(parseBinsInput('1000')).toBe(1000);
  });

  it('refuses 0, an empty field, more than 1000, fractions and signs', () => {
    for (const text of ['0', '', '   ', '1001', '2.5', '-3', '1e2', 'abc']) {
      expect(parseBinsInput(text), text).toBeUndefined();
    }
  });

  it('says what it accepts and which count is still in use', () => {
    expect(binsInputMessage(20)).toBe('Enter a whole number from 1 to 1000; still using 20.');
  });

  it('shows the count in use, valid and without a message, until a value is refused', () => {
    const html = renderToStaticMarkup(
      <BinsInput bins={20} disabled={false} onChange={() => undefined} />,
    );
    expect(html).toContain('value="20"');
    expect(html).toContain('aria-invalid="false"');
    expect(html).not.toContain('role="alert"');
  });
});
