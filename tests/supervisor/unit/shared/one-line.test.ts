import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeControls } from '../../../../supervisor/src/shared/one-line.js';

describe('a value within its one line', () => {
  it('escapes every control character, and leaves the rest as it is', () => {
    expect(escapeControls('a\nb\rc\td\u001be\u007ff\u0085g\u2028h\u2029i')).toBe(
      'a\\nb\\rc\\td\\x1be\\x7ff\\x85g\\u2028h\\u2029i',
    );
    expect(escapeControls('plain text, ünïcödé, emoji 🎉')).toBe('plain text, ünïcödé, emoji 🎉');
  });

  it('never leaves a character that ends or breaks a line, whatever the value', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (value) => {
        // eslint-disable-next-line no-control-regex -- finding control characters is the point
        expect(escapeControls(value)).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
      }),
    );
  });
});
