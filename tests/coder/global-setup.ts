import fs from 'node:fs';
import type { TestProject } from 'vitest/node';
import {
  CoderApi,
  recordTiming,
  startCoderServer,
  timingsFile,
  type CoderServerInfo,
} from '../helpers/coder-server.js';
import { runnerTemplateSetup } from './versions/version-under-test.js';

declare module 'vitest' {
  export interface ProvidedContext {
    coder: CoderServerInfo;
  }
}

/** One real Coder server for every file of tests/coder (see tests/fixtures/coder-server.ts). */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  fs.rmSync(timingsFile, { force: true });
  // The runner templates mint the token that the supervisor's table recommends for this release.
  const runnerTemplates = runnerTemplateSetup();
  const server = await startCoderServer({
    runnerTemplateVariables: {
      self_evict_token_request: Buffer.from(runnerTemplates.tokenRequest).toString('base64'),
    },
  });
  if (runnerTemplates.flow === 'classic') {
    const admin = new CoderApi(server.info.url, server.info.admin.token);
    for (const id of [server.info.templates.runner, server.info.templates.ondemand]) {
      await admin.ok('PATCH', `/api/v2/templates/${id}`, { use_classic_parameter_flow: true });
    }
  }
  recordTiming('postgres-ready', server.info.timings.postgresReadyMs);
  recordTiming('server-ready', server.info.timings.serverReadyMs);
  project.provide('coder', server.info);
  return async () => {
    await server.close();
    summarize();
  };
}

/** Prints the timings of this run (bench/RESULTS.md quotes them). */
function summarize(): void {
  let lines: { name: string; ms: number }[] = [];
  try {
    lines = fs
      .readFileSync(timingsFile, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { name: string; ms: number });
  } catch {
    return;
  }
  const byName = new Map<string, number[]>();
  for (const { name, ms } of lines) byName.set(name, [...(byName.get(name) ?? []), ms]);
  for (const [name, values] of byName) {
    const sorted = [...values].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
    console.log(
      `coder timings: ${name}: n=${sorted.length} median ${median} ms, min ${sorted[0]} ms, max ${sorted.at(-1)} ms`,
    );
  }
}
