import fs from 'node:fs';
import type { Logger } from '../shared/log.js';
import { PrepareError } from '../shared/errors.js';
import { asRoot, describeFailure, type Privilege, type RunnerUser } from './runner-user.js';

/**
 * Docker access for the runner user, as the template author chose it (runner_docker_access).
 * Whoever may use the docker socket is root on that host (a container with the host's / mounted
 * is one command away), so it is off by default: the runner user then keeps no supplementary
 * group at all (one that an earlier start gave it is taken back). On, it joins the group that
 * owns the socket, and isolation is only partial (the dashboard says so).
 */
async function supplementaryGroups(via: Privilege, user: RunnerUser): Promise<number[]> {
  const listed = await asRoot(via, ['id', '-G', user.name]);
  if (listed.exitCode !== 0)
    throw new PrepareError(`cannot list the groups of ${user.name}: ${describeFailure(listed)}`);
  return listed.stdout
    .trim()
    .split(/\s+/)
    .map(Number)
    .filter((gid) => Number.isInteger(gid) && gid !== user.gid);
}

/** Returns whether the runner user may use the socket (`socket` undefined: access is off). */
export async function giveDockerAccess(
  via: Privilege,
  user: RunnerUser,
  socket: string | undefined,
  log: Logger,
): Promise<boolean> {
  if (socket === undefined) {
    if ((await supplementaryGroups(via, user)).length > 0) {
      const cleared = await asRoot(via, ['usermod', '-G', '', user.name]);
      if (cleared.exitCode !== 0) {
        throw new PrepareError(`cannot take the extra groups of ${user.name} back: ${describeFailure(cleared)}`);
      }
      log.info({ runnerUser: user.name }, 'runner user left its supplementary groups (docker access is off)');
    }
    return false;
  }
  let gid: number;
  try {
    const stat = fs.statSync(socket);
    if (!stat.isSocket()) throw new Error('not a socket');
    gid = stat.gid;
  } catch {
    log.info({ socket }, 'runner_docker_access is on, but there is no docker socket here');
    return false;
  }
  if (gid === 0) {
    log.warn({ socket }, 'the docker socket belongs to group root; the runner user is not added to it');
    return false;
  }
  const group = await asRoot(via, ['getent', 'group', String(gid)]);
  const name = group.exitCode === 0 ? group.stdout.split(':')[0] : undefined;
  if (!name) throw new PrepareError(`the docker socket's group ${gid} has no name: ${describeFailure(group)}`);
  const added = await asRoot(via, ['usermod', '-aG', name, user.name]);
  if (added.exitCode !== 0)
    throw new PrepareError(`cannot add ${user.name} to the group ${name}: ${describeFailure(added)}`);
  log.warn({ runnerUser: user.name, group: name }, 'runner user may use the docker socket: isolation is partial');
  return true;
}
