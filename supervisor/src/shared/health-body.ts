/** Reading what a child's health port says: its words are facts to show, never trusted shapes. */

export const asObject = (v: unknown): Record<string, unknown> | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;

/** A JSON object's fields; undefined for anything else (garbage is ignored, not an error). */
export function parseJsonObject(body: string): Record<string, unknown> | undefined {
  try {
    return asObject(JSON.parse(body));
  } catch {
    return undefined;
  }
}

export const asCount = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined;

export const asText = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

/**
 * The value of a series in Prometheus text: `series` is a metric name (its first sample, whatever
 * its labels) or a name with its labels as printed (`name{result="ok"}`). Undefined when missing.
 */
export function prometheusSample(text: string, series: string): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(series)) continue;
    const rest = line.slice(series.length);
    if (rest[0] !== ' ' && rest[0] !== '{' && rest[0] !== '\t') continue;
    const value = Number(
      rest
        .replace(/^\{[^}]*\}/, '')
        .trim()
        .split(/\s+/)[0],
    );
    if (Number.isFinite(value)) return value;
  }
  return undefined;
}
