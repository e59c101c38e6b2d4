/**
 * Control characters from what others wrote (a session's stderr in the runner's lines, a request's
 * values, an answer's body) must not reach a terminal that shows a log or the dashboard raw: an
 * ANSI sequence can rewrite what a reader sees (issue 28). JSON already escapes C0 (U+0000 to
 * U+001F), not DEL (U+007F) nor C1 (U+0080 to U+009F, where U+009B is a CSI of its own).
 */
const c1AndDel = /[\u007f-\u009f]/g;
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const controls = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

const hex = (c: string): string => c.charCodeAt(0).toString(16).padStart(4, '0');

/** A JSON text with DEL and C1 escaped too (`\u009b`): still the same JSON, now all printable. */
export function escapeControlsInJson(json: string): string {
  return json.replace(c1AndDel, (c) => `\\u${hex(c)}`);
}

/**
 * Plain text with every control character shown as `\u001b` (for the dashboard's items, the spawn
 * hook's lines, Coder's words): the line and paragraph separators too, so that no value from
 * outside can end its line, start one of its own (a forged `user-message:` line) or move a
 * terminal's cursor.
 */
export function escapeControls(text: string): string {
  return text.replace(controls, (c) => `\\u${hex(c)}`);
}
