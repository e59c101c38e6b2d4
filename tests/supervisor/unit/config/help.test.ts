import { describe, expect, it } from 'vitest';
import { allCommands as commands } from '../../../../supervisor/src/bundles/all-commands.js';
import { renderHelp } from '../../../../supervisor/src/config/help.js';
import { inputs, type InputSpec } from '../../../../supervisor/src/config/inputs.js';

describe('--help', () => {
  it('names every flag and supervisor environment variable of the inputs table', () => {
    const help = renderHelp(commands);
    for (const spec of Object.values(inputs) as InputSpec[]) {
      if (spec.flag) expect(help).toContain(`--${spec.flag} `);
      if (spec.env) expect(help).toContain(spec.env);
    }
    expect(help).toContain('--docker-socket');
    for (const command of commands) expect(help).toContain(`  ${command.name} `);
  });

  it('states ranges and defaults', () => {
    expect(renderHelp(commands)).toMatch(/--health-port N\s+a whole number from 1 to 65535; default 8080/);
  });
});
