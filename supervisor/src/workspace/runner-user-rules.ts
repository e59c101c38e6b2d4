import fs from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../shared/errors.js';
import { inputLabel, inputs } from '../config/inputs.js';
import { asRoot, describeFailure, type Privilege, type RunnerUser } from './runner-user.js';
import { findTool } from './system-tools.js';

/**
 * The runner user must be dedicated to the runner: isolation tells its processes from everyone
 * else's by uid alone, kills them all when the runner ends, and trusts that none of them can
 * become root. So it is a user that this module created (a marker only it writes, as root), with
 * no sudo rights and a uid outside the system range. Anything else (an image's service user
 * with processes of its own, a sudoer, root, the workspace user, nobody) is a configuration
 * error, found before any process is touched.
 */

/** Root-owned markers, one per user the module created: `<name>` holding its uid. */
export const markerDir = '/var/lib/claude-self-hosted-runner/.created-users';

const flag = inputLabel(inputs.runnerUser);

/** The first uid of ordinary users (login.defs UID_MIN, 1000 where it says nothing). */
export function firstOrdinaryUid(loginDefs = '/etc/login.defs'): number {
  try {
    const match = /^\s*UID_MIN\s+(\d+)/m.exec(fs.readFileSync(loginDefs, 'utf8'));
    if (match) return Number(match[1]);
  } catch {
    // No login.defs: the usual default.
  }
  return 1000;
}

/** The "overflow" user that NFS and user namespaces map unknown ids to. */
const nobodyUid = 65534;

function refuse(problem: string): ConfigError {
  return new ConfigError([
    `${flag}: ${problem}; pick a name that does not exist yet (the module creates that user), or "none" to turn isolation off`,
  ]);
}

/** Refused by name, before anything is looked up or created. */
export function refuseByName(name: string, workspaceUser: string): void {
  if (name === 'root') throw refuse('root is not a dedicated user (sessions would run as root)');
  if (name === workspaceUser) {
    throw refuse(`${name} is the workspace user, which runs the supervisor and holds its secrets`);
  }
  if (name === 'nobody') throw refuse('nobody is a system user that other programs share');
}

export function markerFile(name: string): string {
  return path.join(markerDir, name);
}

/** Leaves the marker that says this module created the user (as root: the runner user cannot forge it). */
export async function markCreated(via: Privilege, user: RunnerUser): Promise<string | undefined> {
  const made = await asRoot(via, ['install', '-d', '-m', '0755', markerDir]);
  if (made.exitCode !== 0) return describeFailure(made);
  const written = await asRoot(via, [
    '/bin/sh',
    '-c',
    'umask 022 && printf "%s\\n" "$2" >"$1.tmp" && mv -f "$1.tmp" "$1"',
    'sh',
    markerFile(user.name),
    String(user.uid),
  ]);
  return written.exitCode === 0 ? undefined : describeFailure(written);
}

/** Whether the marker is there, root's, and names this very uid (a user deleted and made again by someone else is not ours). */
export function wasCreatedByModule(user: RunnerUser): boolean {
  try {
    const stat = fs.lstatSync(markerFile(user.name));
    if (!stat.isFile() || stat.uid !== 0) return false;
    return fs.readFileSync(markerFile(user.name), 'utf8').trim() === String(user.uid);
  } catch {
    return false;
  }
}

/** The one rule the module itself gives the runner user: its session entry, as the session user. */
export interface OwnSudoRule {
  session: string;
  entry: string;
}

/** `(<session>) SETENV: NOPASSWD: <entry>` as `sudo -l` lists the module's rule (its tags in either order). */
function isOwnRule(line: string, own: OwnSudoRule): boolean {
  const prefix = `(${own.session}) `;
  if (!line.startsWith(prefix) || !line.endsWith(` ${own.entry}`)) return false;
  const tags = line.slice(prefix.length, line.length - own.entry.length - 1).split(' ');
  return tags.every((tag) => tag === 'NOPASSWD:' || tag === 'SETENV:');
}

/**
 * What `sudo -l -U <user>` says it may run beyond the module's own rule; undefined when nothing
 * (or there is no sudo).
 */
async function sudoRights(via: Privilege, user: RunnerUser, own?: OwnSudoRule): Promise<string | undefined> {
  if (!findTool('sudo')) return undefined;
  const listed = await asRoot(via, ['sudo', '-n', '-l', '-U', user.name]);
  const said = `${listed.stdout}\n${listed.stderr}`;
  if (/is not allowed to run sudo/.test(said)) return undefined;
  if (listed.exitCode === 0 && /may run the following commands/.test(said)) {
    // Each entry is indented by 4; sudo wraps a long one (not on a tty) onto lines indented by 8.
    const entries: string[] = [];
    for (const line of said.slice(said.indexOf('may run the following commands')).split('\n').slice(1)) {
      if (/^\s{5,}\S/.test(line) && entries.length > 0) entries[entries.length - 1] += ` ${line.trim()}`;
      else entries.push(line.trim());
    }
    const rights = entries.filter((line) => line !== '' && !(own && isOwnRule(line, own)));
    return rights.length > 0 ? rights.slice(0, 2).join(' ') : undefined;
  }
  // Neither answer: we cannot prove it has none.
  return `sudo -l -U ${user.name} did not say (${describeFailure(listed)})`;
}

/**
 * Checks a runner user found or just created. Throws a ConfigError (exit 78) that says why.
 * `created`: this start made it, so nothing can have run as it yet.
 */
export async function checkDedicated(
  via: Privilege,
  user: RunnerUser,
  created: boolean,
  workspace: { uid: number; name: string },
  own?: OwnSudoRule,
): Promise<void> {
  if (user.uid === 0) throw refuse(`${user.name} has uid 0: it is root`);
  if (user.uid === workspace.uid) throw refuse(`${user.name} has the workspace user's uid ${user.uid}`);
  const first = firstOrdinaryUid();
  if (user.uid < first || user.uid === nobodyUid) {
    throw refuse(`${user.name} has uid ${user.uid}, in the system range (below ${first}, or nobody's)`);
  }
  if (!created && !wasCreatedByModule(user)) {
    throw refuse(
      `the user ${user.name} already exists and was not created by this module (no marker in ${markerDir}): it may have processes, files or rights of its own`,
    );
  }
  const rights = await sudoRights(via, user, own);
  if (rights) throw refuse(`${user.name} may run commands with sudo (${rights}): every session would get root`);
}
