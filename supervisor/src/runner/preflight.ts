import fs from 'node:fs';
import path from 'node:path';
import { describeError } from '../shared/errors.js';
import { minimumRunnerVersion } from './runner-version.js';

function isExecutableFile(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * Checks what would otherwise make the runner crash at once, so the dashboard says what is
 * wrong instead of showing a crash loop. Returns the problems found (empty when all is well).
 */
export function preflightProblems(options: {
  runnerBinary: string;
  claudeBinary: string;
  /** Undefined: not checked here (with isolation, `start` made it the runner user's). */
  baseDir: string | undefined;
}): string[] {
  const problems: string[] = [];
  if (!isExecutableFile(options.runnerBinary)) {
    problems.push(
      `runner binary ${options.runnerBinary} is missing or not executable: install Claude Code >= ${minimumRunnerVersion.join('.')} in the image or set runner_binary_path`,
    );
  }
  if (!isExecutableFile(options.claudeBinary)) {
    problems.push(
      `claude binary ${options.claudeBinary} is missing or not executable: sessions would fail; set claude_binary_path`,
    );
  }
  const baseDirProblem = options.baseDir === undefined ? undefined : baseDirWritableProblem(options.baseDir);
  if (baseDirProblem) problems.push(baseDirProblem);
  return problems;
}

/** The runner exits at start when it cannot write its base dir: create it and try a write. */
export function baseDirWritableProblem(baseDir: string): string | undefined {
  try {
    fs.mkdirSync(baseDir, { recursive: true });
    const probe = path.join(baseDir, `.write-check-${process.pid}`);
    fs.writeFileSync(probe, '');
    fs.rmSync(probe, { force: true });
    return undefined;
  } catch (error) {
    return `runner base dir ${baseDir} is not writable (${describeError(error)}): set runner_base_dir to a directory the workspace user owns`;
  }
}
