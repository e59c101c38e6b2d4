import { describe, expect, it } from 'vitest';
import { redactSecrets } from '../../../../supervisor/src/shared/redact-secrets.js';

describe('redactSecrets', () => {
  it('removes raw and JSON-escaped forms', () => {
    expect(redactSecrets('a s3"cr\\et b', ['s3"cr\\et'])).toBe('a [redacted] b');
    expect(redactSecrets(JSON.stringify({ msg: 'x s3"cr\\et' }), ['s3"cr\\et'])).toBe('{"msg":"x [redacted]"}');
  });
});
