import { describe, expect, it } from 'vitest';
import { joinApiUrl, workspaceBuildsUrl } from '../../../../supervisor/src/coder-api/urls.js';

describe('joinApiUrl', () => {
  it.each([
    ['https://coder.example.com', 'https://coder.example.com/api/v2/x'],
    ['https://coder.example.com/', 'https://coder.example.com/api/v2/x'],
    ['https://example.com/coder/', 'https://example.com/coder/api/v2/x'],
    ['https://example.com/coder', 'https://example.com/coder/api/v2/x'],
    ['http://127.0.0.1:3000/?q=1#h', 'http://127.0.0.1:3000/api/v2/x'],
  ])('%s', (base, expected) => {
    expect(joinApiUrl(base, '/api/v2/x')).toBe(expected);
  });

  it("keeps the path's own query as the query (the workspace list's search), never in the path", () => {
    expect(joinApiUrl('https://example.com/coder/?x=1', '/api/v2/workspaces?q=owner:me%20template:t')).toBe(
      'https://example.com/coder/api/v2/workspaces?q=owner:me%20template:t',
    );
  });

  it('encodes the workspace id', () => {
    expect(workspaceBuildsUrl('https://c/', 'a/b')).toBe('https://c/api/v2/workspaces/a%2Fb/builds');
  });
});
