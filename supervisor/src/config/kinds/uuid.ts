import type { TextInput } from '../inputs.js';
import * as z from 'zod/mini';
import { addIssue, optionalString, show, type InputKind } from './kind.js';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const uuidKind: InputKind<TextInput> = {
  validator(spec) {
    return optionalString((raw, ctx): string => {
      if (raw === undefined || !uuidPattern.test(raw.trim())) {
        addIssue(ctx, `expected the workspace UUID (${spec.hint ?? ''}), got ${show(raw)}`);
        return z.NEVER;
      }
      return raw.trim().toLowerCase();
    });
  },
  // Only the registry module's workspace_id is a UUID, and it keeps the registry's (no) validation.
  terraformCondition: () => undefined,
  message: (_spec, name) => `${name} must be a UUID.`,
  accepts: (_spec, value) => uuidPattern.test(value as string),
  helpNote: (spec) => (spec.required ? 'required' : 'optional'),
};
