import fc from 'fast-check';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { shellQuote } from '../../../../supervisor/src/shared/shell-quote.js';

describe('shellQuote', () => {
  it('round-trips any string through sh', async () => {
    const samples = fc.sample(
      fc.string({ unit: 'grapheme' }).filter((s) => !s.includes('\0')),
      40,
    );
    samples.push(`it's "quoted" $HOME \`x\` \\ \n new line`);
    const script = samples.map((s) => `printf '%s\\0' ${shellQuote(s)}`).join('\n');
    const { stdout } = await execa('sh', ['-c', script], { stripFinalNewline: false });
    expect(stdout.split('\0').slice(0, -1)).toEqual(samples);
  });

  it('refuses a NUL byte', () => {
    expect(() => shellQuote('a\0b')).toThrow(TypeError);
  });
});
