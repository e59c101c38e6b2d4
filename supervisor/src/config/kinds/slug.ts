import * as z from 'zod/mini';
import type { TextInput } from '../inputs.js';
import { addIssue, hclRegex, isBlank, optionalString, show, type InputKind } from './kind.js';

/** Lower-case letters and digits in words joined by single dashes (a Coder name's part). */
const slugPattern = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const fits = (spec: TextInput, value: string): boolean =>
  slugPattern.test(value) && value.length <= (spec.maxLength ?? 32);

export const slugKind: InputKind<TextInput> = {
  validator(spec) {
    return optionalString((raw, ctx): string | undefined => {
      const value = isBlank(raw) ? spec.default : raw;
      if (value === undefined) return undefined;
      if (!fits(spec, value)) {
        addIssue(
          ctx,
          `expected lower-case letters and digits joined by single dashes, at most ${spec.maxLength ?? 32} characters, got ${show(raw)}`,
        );
        return z.NEVER;
      }
      return value;
    });
  },
  terraformCondition: (spec, v) =>
    `can(regex(${hclRegex(slugPattern)}, ${v})) && length(${v}) <= ${spec.maxLength ?? 32}`,
  message: (spec, name) =>
    `${name} must be lower-case letters and digits joined by single dashes, at most ${spec.maxLength ?? 32} characters.`,
  accepts: (spec, value) => fits(spec, value as string),
  helpNote: (spec) => `default ${spec.default ?? 'none'}`,
};
