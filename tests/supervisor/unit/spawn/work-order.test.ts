import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSpawnRequest } from '../../../../supervisor/src/spawn/work-order.js';

const payload = Buffer.from(JSON.stringify({ jti: 'jti-7' })).toString('base64url');
const order = `eyJhbGciOiJIUzI1NiJ9.${payload}.c2ln`;

function withOrder(text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csr-order-'));
  const file = path.join(dir, 'order');
  fs.writeFileSync(file, text, { mode: 0o600 });
  return file;
}

describe('the spawn request', () => {
  it('copies the order from its file and takes the order id from the environment, else the jti', () => {
    const file = withOrder(`${order}\n`);
    expect(readSpawnRequest({ CLAUDE_RUNNER_WORK_ORDER_FILE: file, CLAUDE_RUNNER_ORDER_ID: 'jti-env' })).toMatchObject({
      order,
      orderId: 'jti-env',
      sessionId: undefined,
    });
    expect(
      readSpawnRequest({ CLAUDE_RUNNER_WORK_ORDER_FILE: file, CLAUDE_RUNNER_SESSION_ID: 'session_01' }),
    ).toMatchObject({
      orderId: 'jti-7',
      sessionId: 'session_01',
    });
  });

  it('refuses what is not a work order without quoting it', () => {
    const file = withOrder('not a jwt secret-ish');
    expect(() => readSpawnRequest({ CLAUDE_RUNNER_WORK_ORDER_FILE: file })).toThrow(/does not hold a work order/);
    try {
      readSpawnRequest({ CLAUDE_RUNNER_WORK_ORDER_FILE: file });
    } catch (error) {
      expect((error as Error).message).not.toContain('secret-ish');
    }
    expect(() => readSpawnRequest({})).toThrow(/CLAUDE_RUNNER_WORK_ORDER_FILE is not set/);
    expect(() => readSpawnRequest({ CLAUDE_RUNNER_WORK_ORDER_FILE: '/nonexistent/x' })).toThrow(
      /cannot read the work order file \(ENOENT\)/,
    );
  });
});
