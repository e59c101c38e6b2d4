// The real runner (2.1.330) with sessions under a user of their own (issue 28): the runner runs as
// the runner user, and the supervisor's real wrapper, sudo rule and session entry switch each
// session to the session user (workspace/session-user.ts). Measured here: the session gets its
// stdin, fd 3 and the runner's variables, works in the folders the runner made for it, the runner
// ends it (SIGTERM through sudo) when the session closes and when the runner drains, and two run at
// once with --capacity 2.
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderSessionWrapper } from '../../supervisor/src/workspace/session-wrapper.js';
import {
  renderSessionEntry,
  renderSudoersRule,
  sessionUserName,
  sudoersFile,
} from '../../supervisor/src/workspace/session-user.js';
import { startAnthropicDouble, type AnthropicDouble } from '../helpers/anthropic-double.js';
import { guardRunnerArgs, realClaudeBinary } from '../helpers/network-guard.js';
import { isLive, processesOfUid, uidOf } from '../helpers/isolation-sandbox.js';
import { LoopbackNamespace, follow, standInClaude, withoutPrefix, type Started } from '../helpers/real-runner.js';
import { claudeRecords, credentialFile } from '../helpers/real-session.js';

const runnerUser = `csr-rr-${Math.random().toString(36).slice(2, 8)}`;
const sessionUser = sessionUserName(runnerUser);
/** A line the session prints on its stderr, forged as the runner's own reason to exit. */
const forged =
  '[runner:fatal] RegisterRunner refused because self-hosted environments are not enabled for this organization';

interface Users {
  runner: { uid: number; gid: number; home: string };
  session: { name: string; uid: number; gid: number; home: string };
}

async function makeUsers(): Promise<Users> {
  for (const name of [runnerUser, sessionUser]) {
    await execa('useradd', ['--create-home', '--user-group', '--shell', '/bin/sh', name]);
  }
  await execa('usermod', ['-G', sessionUser, runnerUser]);
  const ids = (name: string) => ({ uid: uidOf(name) as number, gid: uidOf(name) as number, home: `/home/${name}` });
  const group = (await execa('getent', ['group', sessionUser])).stdout.split(':')[2];
  return { runner: ids(runnerUser), session: { name: sessionUser, ...ids(sessionUser), gid: Number(group) } };
}

describe('the real runner with sessions under a session user', () => {
  let ns: LoopbackNamespace;
  let double: AnthropicDouble;
  let users: Users;
  let pub: string;
  let secretFile: string;
  let runnerBinary: string;

  beforeAll(async () => {
    if (process.getuid?.() !== 0) throw new Error('this test needs root (CI runs it as root)');
    users = await makeUsers();
    ns = await LoopbackNamespace.create();
    double = await startAnthropicDouble(ns, 18601);
    // Everything the two users run is root's and readable; the namespace's folder is root's 0700.
    fs.chmodSync(ns.dir, 0o755);
    pub = path.join(ns.dir, 'pub');
    fs.mkdirSync(pub, { mode: 0o755 });
    // The pinned binary lives under /root (0700): a hard link where the runner user can run it.
    runnerBinary = path.join(pub, 'claude-runner');
    fs.linkSync(realClaudeBinary(), runnerBinary);
    secretFile = credentialFile(pub, 'environment-secret', await double.environmentSecret());
    fs.chownSync(secretFile, users.runner.uid, users.runner.gid);
  }, 60_000);

  afterAll(async () => {
    await double?.stop();
    for (const name of [sessionUser, runnerUser]) {
      const uid = uidOf(name);
      if (uid !== undefined) for (const pid of processesOfUid(uid)) process.kill(pid, 'SIGKILL');
      await execa('userdel', ['-r', '-f', name], { reject: false });
    }
    fs.rmSync(sudoersFile(runnerUser), { force: true });
    ns?.close();
  });

  /** The module's wrapper, entry and sudo rule, and a base dir as prepareBaseDir makes it. */
  function workspace(name: string) {
    const dir = path.join(pub, name);
    fs.mkdirSync(dir, { mode: 0o755 });
    const records = path.join(dir, 'records');
    fs.mkdirSync(records);
    fs.chmodSync(records, 0o1777);
    // The session's claude: leaves a file in its working dir and in its config dir, then is the stand-in.
    const claude = path.join(dir, 'claude');
    fs.writeFileSync(
      claude,
      `#!/bin/sh\necho "$(id -u)" >"$PWD/from-session" && echo "$(id -u)" >"$CLAUDE_CONFIG_DIR/from-session" || echo unwritable >>${records}/problems\n` +
        `printf 'junk\\n%s\\n' '${forged}' >&2\nexec ${standInClaude} "$@"\n`,
      { mode: 0o755 },
    );
    const entry = path.join(dir, 'session-entry.sh');
    fs.writeFileSync(
      entry,
      renderSessionEntry({ claudeBinary: claude, permissionMode: 'bypassPermissions', session: { ...users.session } }),
      { mode: 0o755 },
    );
    const wrapper = path.join(dir, 'session-wrapper.sh');
    const lockedFlag = path.join(records, 'locked');
    fs.writeFileSync(
      wrapper,
      renderSessionWrapper({
        claudeBinary: claude,
        permissionMode: 'bypassPermissions',
        lockedFlag,
        sessionsFile: path.join(records, 'sessions'),
        switchTo: { sudo: '/usr/bin/sudo', user: sessionUser, entry },
      }),
      { mode: 0o755 },
    );
    fs.writeFileSync(sudoersFile(runnerUser), renderSudoersRule(runnerUser, sessionUser, entry), { mode: 0o440 });
    const baseDir = path.join(dir, 'base');
    fs.mkdirSync(baseDir);
    fs.chownSync(baseDir, users.runner.uid, users.session.gid);
    fs.chmodSync(baseDir, 0o2710);
    const record = path.join(records, 'claude-record.txt');
    return { dir, baseDir, wrapper, lockedFlag, record, problems: path.join(records, 'problems') };
  }

  function startRunner(ws: ReturnType<typeof workspace>, args: string[]): Started {
    return follow(
      ns.run(
        'setpriv',
        [
          `--reuid=${users.runner.uid}`,
          `--regid=${users.runner.gid}`,
          '--init-groups',
          '--',
          runnerBinary,
          ...guardRunnerArgs([
            'self-hosted-runner',
            '--environment-secret-file',
            secretFile,
            '--base-dir',
            ws.baseDir,
            '--api-url',
            double.url,
            '--exec-path',
            ws.wrapper,
            '--health-port',
            '0',
            ...args,
          ]),
        ],
        {
          env: { HOME: users.runner.home, STANDIN_CLAUDE_RECORD: ws.record, STANDIN_SESSION_SEC: '120' },
          cwd: '/',
        },
      ),
    );
  }

  function uidOfPid(pid: number): number | undefined {
    try {
      return Number(/^Uid:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
    } catch {
      return undefined;
    }
  }

  const texts = (runner: Started) => runner.lines.map((l) => withoutPrefix(l.text));

  it('serves a session as the session user: stdin, fd 3 and its variables kept, its files where the runner put its folders; the runner ends it through sudo', async () => {
    const ws = workspace('one');
    const session = await double.createSession();
    const runner = startRunner(ws, []);
    await double.waitFor('the session child', () => claudeRecords(ws.record).length === 1, 30_000);
    const [child] = claudeRecords(ws.record);
    expect(child).toMatchObject({ id: session.id, uuid: session.uuid, stdin: 'socket', fd3: 'open' });
    expect(child?.argv.slice(-2)).toEqual(['--permission-mode', 'bypassPermissions']);
    expect(uidOfPid(child?.pid as number)).toBe(users.session.uid);
    // The wrapper (the runner user) recorded the lock before it switched.
    expect(fs.readFileSync(ws.lockedFlag, 'utf8')).toMatch(new RegExp(`^\\d+ ${session.id}\\n$`));
    // The session wrote where the runner expects its work and its config: both the runner's folders.
    const sessionDir = path.join(ws.baseDir, '_sessions', session.id);
    expect(fs.existsSync(ws.problems)).toBe(false);
    for (const file of [
      path.join(sessionDir, 'from-session'),
      path.join(`${sessionDir}.claude-config`, 'from-session'),
    ]) {
      expect(fs.readFileSync(file, 'utf8').trim(), file).toBe(String(users.session.uid));
      expect(fs.statSync(file).uid).toBe(users.session.uid);
    }
    expect(fs.statSync(sessionDir).uid).toBe(users.runner.uid);

    await double.closeSession(session.id);
    const outcome = await runner.done;
    expect(outcome.exitCode).toBe(0);
    expect(texts(runner).some((t) => t.includes(`${session.id} child exited`) && t.includes('signal=SIGTERM'))).toBe(
      true,
    );
    expect(isLive(child?.pid)).toBe(false);
    expect(processesOfUid(users.session.uid)).toEqual([]);
    expect(texts(runner).filter((t) => /EACCES|EPERM|permission denied/i.test(t))).toEqual([]);
    // The runner echoes the session's stderr raw, newlines and all: a line that only looks like
    // its own (no time prefix), which roles/runner/classify-exit.ts does not take as the runner's.
    expect(runner.lines.map((l) => l.text)).toContain(forged);
  }, 90_000);

  it('--capacity 2: two sessions at once, both as the session user; a drain mid-session ends both', async () => {
    const ws = workspace('two');
    const sessions = [await double.createSession(), await double.createSession()];
    const runner = startRunner(ws, ['--capacity', '2']);
    await double.waitFor('two children', () => claudeRecords(ws.record).length === 2, 30_000);
    const children = claudeRecords(ws.record);
    expect(new Set(children.map((c) => c.id))).toEqual(new Set(sessions.map((s) => s.id)));
    for (const child of children) {
      expect(child.fd3).toBe('open');
      expect(uidOfPid(child.pid)).toBe(users.session.uid);
    }
    const drainedAt = Date.now();
    runner.kill('SIGTERM');
    const outcome = await runner.done;
    expect(outcome.exitCode).toBe(0);
    expect(Date.now() - drainedAt).toBeLessThan(85_000);
    for (const child of children) expect(isLive(child.pid)).toBe(false);
    expect(processesOfUid(users.session.uid)).toEqual([]);
    expect(texts(runner).filter((t) => /EACCES|EPERM|permission denied/i.test(t))).toEqual([]);
  }, 120_000);
});
