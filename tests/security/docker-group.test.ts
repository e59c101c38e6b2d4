import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readItem, readStatusFile, waitFor } from '../helpers/sandbox.js';
import {
  hostileFindings,
  makeIsolatedSandbox,
  processesOfUid,
  waitForEviction,
  type IsolatedSandbox,
} from '../helpers/isolation-sandbox.js';

/**
 * Attack: where a docker socket is mounted (root:docker, 0660, as in Coder's docker templates),
 * the session looks at its groups and talks to the socket. Membership of the docker group is
 * root on that host, so by default the runner user must not have it; a template author may give
 * it on purpose, and the dashboard then says that isolation is partial.
 */
let createdGroup = false;
let server: net.Server;
let socketPath: string;
let socketDir: string;
let sb: IsolatedSandbox | undefined;

beforeAll(async () => {
  if ((await execa('getent', ['group', 'docker'], { reject: false })).exitCode !== 0) {
    await execa('groupadd', ['docker']);
    createdGroup = true;
  }
  socketDir = fs.mkdtempSync('/tmp/csr-docker-');
  fs.chmodSync(socketDir, 0o755);
  socketPath = path.join(socketDir, 'docker.sock');
  server = net.createServer((socket) => {
    // The session hangs up at once: a reset is expected, not a failure.
    socket.on('error', () => undefined);
    socket.end('HTTP/1.1 200 OK\r\n\r\n');
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  await execa('chgrp', ['docker', socketPath]);
  fs.chmodSync(socketPath, 0o660);
}, 30_000);

afterEach(async () => {
  await sb?.dispose();
  sb = undefined;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  fs.rmSync(socketDir, { recursive: true, force: true });
  if (createdGroup) await execa('groupdel', ['docker'], { reject: false });
});

async function attack(extraFlags: string[]): Promise<ReturnType<typeof hostileFindings>> {
  sb = await makeIsolatedSandbox({ hostile: { HOSTILE_ACTIONS: 'docker', HOSTILE_DOCKER_SOCKET: socketPath } });
  // A repeated flag: the last one wins.
  const started = await sb.asWorkspaceUser(['start', ...sb.flags, '--docker-socket', socketPath, ...extraFlags]);
  expect(started.exitCode, started.stderr).toBe(0);
  await waitForEviction(sb);
  expect(processesOfUid(sb.runnerUid() as number)).toEqual([]);
  expect(sb.api.deleteBuilds).toBe(1);
  return hostileFindings(sb);
}

describe('a session next to a docker socket', () => {
  it('by default is not in the docker group and cannot use the socket', async () => {
    const found = await attack([]);
    expect(found.done).toBe(true);
    expect(found.groups).not.toContain('docker');
    expect(found.docker).toBe('EACCES');
    const s = sb as IsolatedSandbox;
    expect((await s.asWorkspaceUser(['status'])).stdout).toMatch(/"isolation": "isolation: on \(/);
  }, 90_000);

  it('with runner_docker_access = on uses the socket, and the dashboard says isolation is partial', async () => {
    const found = await attack(['--runner-docker-access', 'on']);
    expect(found.groups).toContain('docker');
    expect(found.docker).toBe('connected');
    const s = sb as IsolatedSandbox;
    expect(readStatusFile(s)?.state).toBe('evicted');
    await waitFor('dashboard', () => readItem(s, '4_supervisor_state')?.includes('isolation: partial: docker'));
  }, 90_000);
});
