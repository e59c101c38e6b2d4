/**
 * Generated regions inside hand-written files: the lines between `<open> BEGIN GENERATED <name>`
 * and `<open> END GENERATED <name>` belong to a renderer; everything else is kept as it is.
 */
export interface RegionStyle {
  /** What opens a comment line: `#` in HCL, `<!--` in Markdown. */
  open: string;
  /** What closes it (`-->`), if anything. */
  close?: string;
}

export const hclComments: RegionStyle = { open: '#' };
export const markdownComments: RegionStyle = { open: '<!--', close: '-->' };

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Replaces the body of the region `name` with `body` (each line indented as the BEGIN line is). */
export function replaceRegion(text: string, name: string, body: readonly string[], style: RegionStyle, file: string) {
  const tail = style.close ? ` ${escape(style.close)}` : '';
  const pattern = new RegExp(
    `^([ \\t]*)(${escape(style.open)} BEGIN GENERATED ${escape(name)}\\b[^\\n]*)\\n[\\s\\S]*?^[ \\t]*(${escape(style.open)} END GENERATED ${escape(name)}${tail})$`,
    'm',
  );
  const match = pattern.exec(text);
  if (!match) throw new Error(`${file} has no generated region ${name} (${style.open} BEGIN GENERATED ${name} ...)`);
  const indent = match[1] ?? '';
  const lines = body.map((line) => (line === '' ? '' : `${indent}${line}`));
  const replacement = [`${indent}${match[2]}`, ...lines, `${indent}${match[3]}`].join('\n');
  return text.slice(0, match.index) + replacement + text.slice(match.index + match[0].length);
}

/** `key = value` lines with the `=` aligned, as `terraform fmt` aligns them. */
export function alignedAssignments(pairs: readonly (readonly [string, string])[]): string[] {
  const width = Math.max(0, ...pairs.map(([key]) => key.length));
  return pairs.map(([key, value]) => `${key.padEnd(width)} = ${value}`);
}
