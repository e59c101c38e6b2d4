const placeholder = '[redacted]';

/**
 * Replaces every occurrence of the given secret values in a text, also in the forms that
 * JSON serialisation gives them (a log line is JSON).
 */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length === 0) continue;
    const jsonForm = JSON.stringify(secret).slice(1, -1);
    out = out.split(secret).join(placeholder);
    if (jsonForm !== secret) out = out.split(jsonForm).join(placeholder);
  }
  return out;
}
