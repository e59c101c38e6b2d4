import type { ChoiceInput } from '../inputs.js';
import * as z from 'zod/mini';
import { addIssue, hclString, optionalString, show, type InputKind } from './kind.js';

export const choiceKind: InputKind<ChoiceInput> = {
  validator(spec) {
    return optionalString((raw, ctx): string => {
      const value = raw === undefined || raw === '' ? spec.default : raw;
      if (!spec.choices.includes(value)) {
        addIssue(ctx, `expected one of ${spec.choices.join(', ')}, got ${show(raw)}`);
        return z.NEVER;
      }
      return value;
    });
  },
  terraformCondition: (spec, v) => `contains([${spec.choices.map(hclString).join(', ')}], ${v})`,
  message: (spec, name) => `${name} must be one of ${spec.choices.join(', ')}.`,
  accepts: (spec, value) => spec.choices.includes(value as string),
  helpNote: (spec) => `default ${spec.default}; one of ${spec.choices.join(', ')}`,
};
