import type { ListInput } from '../inputs.js';
import * as z from 'zod/mini';
import { addIssue, hclString, type InputKind } from './kind.js';

/** The flag of one word: `--flag` of `--flag=value`. */
const flagOf = (word: string): string => word.split('=')[0] ?? '';

/** A list of words as a repeated flag; none may be a flag that the supervisor owns (nor `--flag=value` of one). */
export const listKind: InputKind<ListInput> = {
  validator(spec) {
    return z.pipe(
      z.optional(z.array(z.string())),
      z.transform((raw, ctx): string[] => {
        const words = raw ?? [];
        // Every offending word is named, not only the first.
        const owned = [...new Set(words.map(flagOf).filter((flag) => spec.forbidden.includes(flag)))];
        const unsafe = words.some((word) => word.includes('\0') || /[\r\n]/.test(word));
        if (owned.length > 0) {
          addIssue(
            ctx,
            `${owned.join(', ')} ${owned.length === 1 ? 'is' : 'are'} set by the supervisor or by its own input and cannot be passed here`,
          );
        }
        if (unsafe) addIssue(ctx, 'expected words on one line without NUL bytes');
        if (owned.length > 0 || unsafe) return z.NEVER;
        return words;
      }),
    );
  },
  terraformCondition: (spec, v) =>
    `alltrue([for arg in ${v} : !contains([${spec.forbidden.map(hclString).join(', ')}], split("=", arg)[0])])`,
  message: (spec, name) =>
    `${name} must not set a flag that the supervisor or another input owns: ${spec.forbidden.join(', ')}.`,
  accepts: (spec, value) => (value as readonly string[]).every((arg) => !spec.forbidden.includes(flagOf(arg))),
  helpNote: () => 'repeatable',
};
