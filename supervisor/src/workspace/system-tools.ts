import fs from 'node:fs';
import path from 'node:path';

/**
 * The isolation tools (useradd, usermod, setpriv, getent, install, sudo, ...) found where the
 * system keeps them, whatever the agent's PATH says: a minimal image's agent may run without
 * /usr/sbin and /sbin on its PATH, where useradd and usermod live.
 */
export const systemToolDirs = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'] as const;

/** An executable regular file (for this process's user). */
export function isExecutableFile(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The directories searched: PATH's first (the image's choice), then the system's. */
export function toolSearchDirs(pathVariable: string | undefined = process.env.PATH): string[] {
  const fromPath = (pathVariable ?? '').split(':').filter((dir) => path.isAbsolute(dir));
  return [...new Set([...fromPath, ...systemToolDirs])];
}

/** The absolute path of a tool, or undefined when it is nowhere. An absolute name is kept as it is. */
export function findTool(name: string, pathVariable?: string): string | undefined {
  if (path.isAbsolute(name)) return name;
  for (const dir of toolSearchDirs(pathVariable)) {
    const candidate = path.join(dir, name);
    if (isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

/** The search path for commands run on our behalf (as root or as the runner user): PATH plus the system's. */
export function toolSearchPath(pathVariable: string | undefined = process.env.PATH): string {
  return toolSearchDirs(pathVariable).join(':');
}

/** The words that say where a missing tool was looked for. */
export function notFoundText(name: string): string {
  return `${name} was not found on PATH nor in ${systemToolDirs.join(', ')}`;
}
