import type { TextInput } from '../inputs.js';
import * as z from 'zod/mini';
import { addIssue, hclRegex, isBlank, optionalString, show, type InputKind } from './kind.js';

/** One line of at most 200 printable ASCII characters. */
export const labelPattern = /^[ -~]{1,200}$/;

export const labelKind: InputKind<TextInput> = {
  validator(spec) {
    return optionalString((raw, ctx): string | undefined => {
      if (isBlank(raw)) {
        if (spec.default === undefined && spec.required) {
          addIssue(ctx, `is required: ${spec.hint ?? 'expected one line of printable ASCII'}`);
          return z.NEVER;
        }
        return spec.default;
      }
      if (!labelPattern.test(raw)) {
        addIssue(ctx, `expected one line of at most 200 printable ASCII characters, got ${show(raw)}`);
        return z.NEVER;
      }
      return raw;
    });
  },
  terraformCondition: (_spec, v) => `${v} == null || can(regex(${hclRegex(labelPattern)}, coalesce(${v}, "-")))`,
  message: (_spec, name) =>
    `${name} must be one line of at most 200 printable ASCII characters, or null for the default.`,
  accepts: (_spec, value) => labelPattern.test(value as string),
  helpNote: (spec) => (spec.default ? `default ${spec.default}` : 'optional'),
};
