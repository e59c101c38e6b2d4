import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeControls, escapeControlsInJson } from '../../../../supervisor/src/shared/escape-controls.js';
import { createFileLogger } from '../../../../supervisor/src/shared/log.js';
import { runnerItems as dashboardItems } from '../../../../supervisor/src/roles/runner/runner-items.js';
import type { SupervisorStatus } from '../../../../supervisor/src/state/status.js';

/** ESC [ 2 J (clear the screen), a C1 CSI, DEL, BEL: what a session's stderr or a request may carry. */
const hostile = 'a\u001b[2Jb\u009b31mc\u007fd\u0007e';
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const anyControl = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

describe('control characters in what is logged or shown', () => {
  it('are escaped in plain text and in JSON, which stays the same JSON', () => {
    expect(escapeControls(hostile)).toBe('a\\u001b[2Jb\\u009b31mc\\u007fd\\u0007e');
    const json = escapeControlsInJson(JSON.stringify({ v: hostile }));
    expect(anyControl.test(json)).toBe(false);
    expect(JSON.parse(json)).toEqual({ v: hostile });
  });

  it('never reach the log file raw, whether in the message or a value', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csr-escape-'));
    try {
      const file = path.join(dir, 'supervisor.log');
      createFileLogger(file, []).warn({ line: hostile, nested: { id: hostile } }, `runner said ${hostile}`);
      const text = fs.readFileSync(file, 'utf8');
      expect(anyControl.test(text)).toBe(false);
      expect(JSON.parse(text.trim())).toMatchObject({ line: hostile, msg: `runner said ${hostile}` });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('never reach a dashboard item raw', () => {
    const status = { state: 'running', reason: hostile, restarts: 0, locked: false, lastError: hostile };
    const items = dashboardItems(status as unknown as SupervisorStatus);
    for (const value of Object.values(items)) expect(anyControl.test(value)).toBe(false);
    expect(items['6_last_error']).toContain('\\u001b[2J');
  });

  it('leave nothing in a text that ends or breaks its line, whatever the text', () => {
    expect(escapeControls('a\nb\rc\u2028d\u2029e')).toBe('a\\u000ab\\u000dc\\u2028d\\u2029e');
    expect(escapeControls('plain text, ünïcödé, emoji 🎉')).toBe('plain text, ünïcödé, emoji 🎉');
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (value) => {
        // eslint-disable-next-line no-control-regex -- finding control characters is the point
        expect(escapeControls(value)).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
      }),
    );
  });
});
