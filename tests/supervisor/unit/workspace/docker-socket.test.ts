import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixDockerSocketGroup } from '../../../../supervisor/src/workspace/docker-socket.js';
import { createSilentLogger } from '../../../../supervisor/src/shared/log.js';

let dir: string;
let server: net.Server | undefined;
const originalPath = process.env.PATH;

/** Fake `getent` and `sudo` first on PATH: the test sees what would be run, as root or not. */
function fakeTools(dockerGid: string | undefined): string {
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(bin);
  const getent = dockerGid === undefined ? 'exit 2' : `echo "docker:x:${dockerGid}:coder"`;
  fs.writeFileSync(path.join(bin, 'getent'), `#!/bin/sh\n${getent}\n`, { mode: 0o755 });
  const record = path.join(dir, 'sudo-calls');
  fs.writeFileSync(path.join(bin, 'sudo'), `#!/bin/sh\necho "$*" >> '${record}'\n`, { mode: 0o755 });
  process.env.PATH = `${bin}:${originalPath ?? ''}`;
  return record;
}

async function socketAt(file: string): Promise<void> {
  server = net.createServer();
  await new Promise<void>((resolve) => server?.listen(file, resolve));
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dock-'));
});
afterEach(async () => {
  process.env.PATH = originalPath;
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('docker socket group fix', () => {
  it('runs sudo -n chgrp when the socket group differs from the docker group', async () => {
    const socket = path.join(dir, 'docker.sock');
    await socketAt(socket);
    const record = fakeTools(String(fs.statSync(socket).gid + 4242));
    await fixDockerSocketGroup(socket, createSilentLogger());
    expect(fs.readFileSync(record, 'utf8').trim()).toMatch(
      new RegExp(`^-n (/\\S+/)?chgrp ${fs.statSync(socket).gid + 4242} ${socket}$`),
    );
  });

  it('leaves a socket alone when the groups already match, or when there is no docker group', async () => {
    const socket = path.join(dir, 'docker.sock');
    await socketAt(socket);
    const record = fakeTools(String(fs.statSync(socket).gid));
    await fixDockerSocketGroup(socket, createSilentLogger());
    expect(fs.existsSync(record)).toBe(false);
  });

  it('does nothing without a socket, and never throws', async () => {
    const record = fakeTools('999');
    await expect(fixDockerSocketGroup(path.join(dir, 'missing.sock'), createSilentLogger())).resolves.toBeUndefined();
    fs.writeFileSync(path.join(dir, 'not-a-socket'), '');
    await fixDockerSocketGroup(path.join(dir, 'not-a-socket'), createSilentLogger());
    expect(fs.existsSync(record)).toBe(false);
  });
});
