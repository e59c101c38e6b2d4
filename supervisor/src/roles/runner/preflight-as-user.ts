import path from 'node:path';
import { asRunnerUser, describeFailure, type Privilege, type RunnerUser } from '../../workspace/runner-user.js';

/**
 * The preflight as the runner user: what the supervisor (the workspace user) can reach, the
 * runner user may not (a 0700 folder on the way), and the runner would then fail at every start
 * with nothing but a crash loop to show. Each path is tried as that user, folder by folder, and
 * a problem names the path, the folder that stops it and the user.
 */

/** Run as the runner user: $1 is what the target must be (exec or dir), $2 the target, then its folders. */
const probeScript = [
  'kind=$1; target=$2; shift 2',
  'for d in "$@"; do',
  '  [ -e "$d" ] || { printf "missing %s\\n" "$d"; exit 1; }',
  '  [ -x "$d" ] || { printf "unsearchable %s\\n" "$d"; exit 1; }',
  'done',
  '[ -e "$target" ] || { printf "missing %s\\n" "$target"; exit 1; }',
  'if [ "$kind" = exec ]; then',
  '  [ -f "$target" ] && [ -x "$target" ] || { printf "unexecutable %s\\n" "$target"; exit 1; }',
  'else',
  '  [ -d "$target" ] && [ -w "$target" ] && [ -x "$target" ] || { printf "unwritable %s\\n" "$target"; exit 1; }',
  'fi',
].join('\n');

/** The folders above a path, from the root down (not / itself). */
export function foldersAbove(target: string): string[] {
  const folders: string[] = [];
  for (let dir = path.dirname(target); dir !== path.dirname(dir); dir = path.dirname(dir)) folders.unshift(dir);
  return folders;
}

export interface ReachTarget {
  /** How the problem names it: "the runner binary", "the claude binary", "the base dir". */
  what: string;
  path: string;
  kind: 'exec' | 'dir';
}

function describeVerdict(target: ReachTarget, user: string, verdict: string): string {
  const [word, ...rest] = verdict.split(' ');
  const where = rest.join(' ');
  const can =
    target.kind === 'exec'
      ? `cannot be executed by the runner user ${user}`
      : `cannot be used by the runner user ${user}`;
  switch (word) {
    case 'unsearchable':
      return `${target.what} ${target.path} ${can}: ${where} is not searchable by it (let others enter it, chmod o+x ${where}, or put the ${target.kind === 'exec' ? 'binary' : 'directory'} where ${user} can reach it)`;
    case 'missing':
      return `${target.what} ${target.path} ${can}: ${where} does not exist for it`;
    case 'unexecutable':
      return `${target.what} ${target.path} ${can}: it is not an executable file for it (chmod o+rx ${target.path})`;
    case 'unwritable':
      return `${target.what} ${target.path} ${can}: it is not a directory it may write (it must be ${user}'s)`;
    default:
      return `${target.what} ${target.path} ${can}: ${verdict}`;
  }
}

/** One problem per target that the runner user cannot reach. */
export async function reachProblems(
  via: Privilege,
  user: RunnerUser,
  targets: readonly ReachTarget[],
): Promise<string[]> {
  // At once, not one after the other: each is a sudo or setpriv start.
  const results = await Promise.all(
    targets.map((target) =>
      asRunnerUser(via, user, [
        '/bin/sh',
        '-c',
        probeScript,
        'sh',
        target.kind,
        target.path,
        ...foldersAbove(target.path),
      ]),
    ),
  );
  return targets.flatMap((target, index) => {
    const result = results[index];
    if (!result || result.exitCode === 0) return [];
    const verdict = result.stdout.trim();
    return [
      verdict
        ? describeVerdict(target, user.name, verdict)
        : `${target.what} ${target.path} could not be checked as the runner user ${user.name}: ${describeFailure(result)}`,
    ];
  });
}
