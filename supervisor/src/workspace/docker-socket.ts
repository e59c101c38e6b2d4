import fs from 'node:fs';
import { execa } from 'execa';
import type { Logger } from '../shared/log.js';
import { findTool } from './system-tools.js';

/**
 * When the host's Docker socket is mounted with a group id that differs from the image's
 * `docker` group, give it that group (`sudo -n`, so it never prompts). Never fatal: a
 * workspace without sudo or without Docker still runs sessions.
 */
export async function fixDockerSocketGroup(socketPath: string, log: Logger): Promise<void> {
  let socketGid: number;
  try {
    const stat = fs.statSync(socketPath);
    if (!stat.isSocket()) return;
    socketGid = stat.gid;
  } catch {
    return;
  }
  const group = await execa(findTool('getent') ?? 'getent', ['group', 'docker'], { reject: false, stdin: 'ignore' });
  const dockerGid = Number(String(group.stdout).split(':')[2]);
  if (group.exitCode !== 0 || !Number.isInteger(dockerGid)) {
    log.info({ socketPath }, 'docker socket present but no docker group in this image; left alone');
    return;
  }
  if (dockerGid === socketGid) return;
  const chgrp = await execa(
    findTool('sudo') ?? 'sudo',
    ['-n', findTool('chgrp') ?? 'chgrp', String(dockerGid), socketPath],
    {
      reject: false,
      stdin: 'ignore',
    },
  );
  if (chgrp.exitCode === 0) {
    log.info({ socketPath, from: socketGid, to: dockerGid }, 'docker socket group fixed');
  } else {
    log.warn(
      { socketPath, socketGid, dockerGid, stderr: String(chgrp.stderr).slice(0, 200) },
      'could not fix the docker socket group with sudo -n chgrp; docker may need sudo in sessions',
    );
  }
}
