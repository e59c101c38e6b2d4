import type { TextInput } from '../inputs.js';
import * as z from 'zod/mini';
import { addIssue, hclRegex, isBlank, optionalString, show, type InputKind } from './kind.js';

/** A Unix user name as useradd takes it, or "none". */
export const userNamePattern = /^([a-z_][a-z0-9_-]{0,31}|none)$/;

export const usernameKind: InputKind<TextInput> = {
  validator(spec) {
    return optionalString((raw, ctx): string => {
      const value = isBlank(raw) ? spec.default : raw;
      if (value === undefined || !userNamePattern.test(value)) {
        addIssue(ctx, `expected a Unix user name (lower case, up to 32 characters) or "none", got ${show(raw)}`);
        return z.NEVER;
      }
      return value;
    });
  },
  terraformCondition: (_spec, v) => `can(regex(${hclRegex(userNamePattern)}, ${v}))`,
  message: (_spec, name) => `${name} must be a Unix user name (lower case, up to 32 characters) or "none".`,
  accepts: (_spec, value) => userNamePattern.test(value as string),
  helpNote: (spec) => `default ${spec.default ?? 'none'}`,
};
