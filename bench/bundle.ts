// Bundle size, what each dependency costs in it (esbuild metafile), and the rendered script.
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { repoRoot } from '../tests/helpers/sandbox.js';

export interface BundleReport {
  rawBytes: number;
  gzipBytes: number;
  /** module/supervisor.cjs.br, which the launcher embeds (base64). */
  brotliBytes: number;
  byPackage: [string, number][];
  /** The orchestrator module's bundle (module/orchestrator.cjs): raw and brotli bytes, and its launcher's size. */
  orchestrator: { rawBytes: number; brotliBytes: number; launcherBytes: number };
}

/** A launcher's size: the template with the bundle embedded (base64 of its brotli form) and its flags. */
export function launcherBytesOf(brotliBytes: number, flagBytes = 1024): number {
  const template = fs.statSync(path.join(repoRoot, 'module', 'launch.sh.tftpl')).size;
  return Math.ceil(brotliBytes / 3) * 4 + template + flagBytes;
}

export function bundleReport(): BundleReport {
  const bundle = fs.readFileSync(path.join(repoRoot, 'module', 'supervisor.cjs'));
  const meta = JSON.parse(fs.readFileSync(path.join(repoRoot, '.cache', 'bundle-meta.json'), 'utf8')) as {
    outputs: Record<string, { inputs: Record<string, { bytesInOutput: number }> }>;
  };
  const inputs = Object.values(meta.outputs)[0]?.inputs ?? {};
  const byPackage = new Map<string, number>();
  for (const [file, { bytesInOutput }] of Object.entries(inputs)) {
    const inModules = file.split('node_modules/')[1];
    const name = inModules
      ? inModules
          .split('/')
          .slice(0, inModules.startsWith('@') ? 2 : 1)
          .join('/')
      : 'supervisor/src (ours)';
    byPackage.set(name, (byPackage.get(name) ?? 0) + bytesInOutput);
  }
  const orchestratorBrotli = fs.statSync(path.join(repoRoot, 'module', 'orchestrator.cjs.br')).size;
  return {
    orchestrator: {
      rawBytes: fs.statSync(path.join(repoRoot, 'module', 'orchestrator.cjs')).size,
      brotliBytes: orchestratorBrotli,
      launcherBytes: launcherBytesOf(orchestratorBrotli),
    },
    rawBytes: bundle.length,
    gzipBytes: gzipSync(bundle).length,
    brotliBytes: fs.statSync(path.join(repoRoot, 'module', 'supervisor.cjs.br')).size,
    byPackage: [...byPackage.entries()].sort((a, b) => b[1] - a[1]),
  };
}
