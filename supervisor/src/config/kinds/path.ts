import nodePath from 'node:path';
import type { PathInput } from '../inputs.js';
import * as z from 'zod/mini';
import { addIssue, optionalString, show, type InputKind } from './kind.js';

/** Kernel file systems: a recursive mkdir there can loop forever (/proc/self). */
const kernelFileSystem = /^\/(proc|sys|dev)(\/|$)/;

export const pathKind: InputKind<PathInput> = {
  validator(spec, env) {
    return optionalString((raw, ctx): string | undefined => {
      let value = raw === undefined || raw === '' ? spec.default : raw;
      if (value === undefined && spec.stateHomeDefault !== undefined) {
        // XDG: a relative XDG_STATE_HOME is invalid and ignored.
        const xdg = env.XDG_STATE_HOME && nodePath.isAbsolute(env.XDG_STATE_HOME) ? env.XDG_STATE_HOME : undefined;
        if (!xdg && !env.HOME) {
          addIssue(ctx, `is required: neither XDG_STATE_HOME nor HOME is set, so pass --${spec.flag ?? '?'}`);
          return z.NEVER;
        }
        value = nodePath.join(xdg ?? nodePath.join(env.HOME as string, '.local', 'state'), spec.stateHomeDefault);
      }
      if (value === undefined && spec.homeDefault !== undefined) {
        if (!env.HOME) {
          addIssue(ctx, `is required: HOME is not set, so pass --${spec.flag ?? '?'}`);
          return z.NEVER;
        }
        value = nodePath.join(env.HOME, spec.homeDefault);
      }
      if (value === undefined) return undefined;
      if (!nodePath.isAbsolute(value) || value.includes('\0')) {
        addIssue(ctx, `expected an absolute path, got ${show(value)}`);
        return z.NEVER;
      }
      const normal = nodePath.normalize(value);
      if (spec.realFileSystem && kernelFileSystem.test(normal)) {
        addIssue(ctx, `expected a directory on a real file system, not under /proc, /sys or /dev, got ${show(value)}`);
        return z.NEVER;
      }
      return normal;
    });
  },
  terraformCondition: (spec, v) =>
    spec.default !== undefined ? `startswith(${v}, "/")` : `${v} == null || startswith(coalesce(${v}, "/"), "/")`,
  message: (spec, name) =>
    `${name} must be an absolute path${spec.default === undefined ? `, or null for ${spec.defaultText ?? 'the default'}` : ''}.`,
  accepts: (_spec, value) => (value as string).startsWith('/'),
  helpNote: (spec) =>
    spec.defaultText ? `default ${spec.defaultText}` : spec.default ? `default ${spec.default}` : 'optional',
};
