import { describe, expect, it } from 'vitest';
import { parseHealth, parseMetrics, showsLock } from '../../../../../supervisor/src/roles/runner/health.js';

describe('health and metrics parsing', () => {
  it('reads the documented /healthz fields, nulls as unknown', () => {
    expect(
      parseHealth(
        '{"status":"ok","runner_id":"ccrunner_1","active_sessions":2,"last_poll_at":null,"last_poll_age_ms":null}',
      ),
    ).toEqual({
      status: 'ok',
      runnerId: 'ccrunner_1',
      activeSessions: 2,
      lastPollAt: undefined,
      lastPollAgeMs: undefined,
    });
  });

  it('ignores garbage', () => {
    for (const body of ['', 'not json', '[]', 'null', '"x"', '{"status": not json'])
      expect(parseHealth(body)).toBeUndefined();
    expect(parseHealth('{"active_sessions":"lots","last_poll_age_ms":-4}')).toMatchObject({
      activeSessions: undefined,
      lastPollAgeMs: undefined,
    });
  });

  it('reads the series that show a lock, with or without labels', () => {
    const text = [
      '# HELP claude_code_self_hosted_runner_sessions_started_total x',
      'claude_code_self_hosted_runner_sessions_started_total_bogus 9',
      'claude_code_self_hosted_runner_sessions_started_total{pool="p"} 3',
    ].join('\n');
    expect(parseMetrics(text)).toEqual({ sessionsStarted: 3, lockedAccount: undefined });
    expect(showsLock(undefined, { sessionsStarted: 3, lockedAccount: undefined })).toMatch(/sessions_started_total/);
    expect(
      showsLock(
        { status: 'ok', runnerId: undefined, activeSessions: 0, lastPollAt: undefined, lastPollAgeMs: 5 },
        parseMetrics(''),
      ),
    ).toBeUndefined();
  });
});
