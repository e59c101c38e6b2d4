// The on-demand scene of `npm run demo`: the bundle's spawn-runner hook, run as the orchestrator
// runs it, turns a work order into a runner workspace through the Coder API double; the same
// order again (the orchestrator's retry) finds that workspace instead of creating a second one;
// a deleted template is a refusal that the orchestrator shows the person who asked.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSpawnDouble } from '../tests/helpers/coder-spawn-double.js';
import { runSpawnHook, spawnConfigFor, workOrderFor } from '../tests/helpers/spawn-hook.js';

const token = 'demo-spawn-token-VALUE';

export async function onDemandScene(say: (line: string) => void): Promise<void> {
  console.log('\n== On-demand: a work order becomes a workspace; the retry of the same order finds it');
  const coder = await startSpawnDouble({ token });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csr-demo-spawn-'));
  try {
    const hook = async (attempt: number) => {
      const seen = coder.requests.length;
      const result = await runSpawnHook({
        dir,
        config: spawnConfigFor(coder.url, token),
        order: workOrderFor('order-demo-1'),
        orderId: 'order-demo-1',
        env: { CLAUDE_RUNNER_SESSION_ID: 'session_demo', CLAUDE_RUNNER_ATTEMPT: String(attempt) },
      });
      for (const request of coder.requests.slice(seen)) say(`Coder API  ${request.method} ${request.path}`);
      for (const line of result.stderr.trim().split('\n')) say(`hook       ${line}`);
      say(`hook       exit ${result.exitCode}; workspaces created so far: ${coder.created.length}`);
    };
    await hook(1);
    await hook(2);
    coder.removeTemplate();
    say('template   deleted in Coder');
    await hook(3);
  } finally {
    await coder.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
