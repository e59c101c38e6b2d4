/**
 * A value from outside (a request, a server's answer) as it may stand inside one line of a log
 * or of a hook's stderr: every control character escaped (`\n`, `\r`, `\t`, `\x1b`, `\u2028`),
 * so that no value can end the line, start one of its own (a forged `user-message:` line) or
 * move a terminal's cursor.
 */
export function escapeControls(value: string): string {
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  return value.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
