import type { TextInput } from '../inputs.js';
import * as z from 'zod/mini';
import { addIssue, isBlank, optionalString, type InputKind } from './kind.js';

/** One line, never echoed; with `headerSafe`, printable ASCII (it is sent as an HTTP header). */
export const secretKind: InputKind<TextInput> = {
  validator(spec) {
    return optionalString((raw, ctx): string | undefined => {
      if (isBlank(raw)) {
        // A conditional secret's presence is the table's rules' to judge (config/cross-rules.ts).
        if (!spec.required || spec.conditional) return undefined;
        addIssue(ctx, `is required and empty: ${spec.hint ?? ''}`);
        return z.NEVER;
      }
      // The value itself is never quoted back: it is a secret.
      if (raw.includes('\0') || /[\r\n]/.test(raw.trim())) {
        addIssue(ctx, 'must be a single line without NUL bytes (value not shown)');
        return z.NEVER;
      }
      if (spec.headerSafe && !/^[\x21-\x7e]+$/.test(raw.trim())) {
        addIssue(
          ctx,
          'must be printable ASCII without spaces or control characters: it is sent as an HTTP header (value not shown)',
        );
        return z.NEVER;
      }
      return raw.trim();
    });
  },
  // The registry module's secrets have no validation, and the module keeps its interface.
  terraformCondition: () => undefined,
  message: (_spec, name) => `${name} is not valid.`,
  accepts: () => true,
  helpNote: (spec) => (spec.required ? 'required' : 'optional'),
};
