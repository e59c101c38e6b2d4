import type { NumberInput } from '../inputs.js';
import * as z from 'zod/mini';
import { addIssue, isBlank, optionalString, show, type InputKind } from './kind.js';

/** What a number input allows, as the module, the construct and the supervisor all say it. */
export function numberRangeText(spec: NumberInput): string {
  return `${spec.decimal ? 'a number' : 'a whole number'} from ${spec.min} to ${spec.max}`;
}

export const numberKind: InputKind<NumberInput> = {
  validator(spec) {
    const pattern = spec.decimal ? /^\s*\d+(\.\d+)?\s*$/ : /^\s*\d+\s*$/;
    return optionalString((raw, ctx): number | undefined => {
      if (isBlank(raw)) {
        if (spec.default !== undefined) return spec.default;
        if (spec.optional) return undefined;
        addIssue(ctx, `is required: expected ${numberRangeText(spec)}`);
        return z.NEVER;
      }
      const value = Number(raw);
      if (!pattern.test(raw) || !Number.isFinite(value) || value < spec.min || value > spec.max) {
        addIssue(ctx, `expected ${numberRangeText(spec)}, got ${show(raw)}`);
        return z.NEVER;
      }
      return value;
    });
  },
  terraformCondition(spec, v) {
    // The registry module's capacity rule, kept exactly for drop-in compatibility.
    if (spec.registryRule) return `${v} >= ${spec.min} && ${v} <= ${spec.max}`;
    // HCL evaluates both sides of ||: a null that passes its first test must not reach floor().
    const n = spec.default === undefined ? `coalesce(${v}, ${spec.min})` : v;
    const rule = `${n} >= ${spec.min} && ${n} <= ${spec.max}${spec.decimal ? '' : ` && floor(${n}) == ${n}`}`;
    return spec.default === undefined ? `${v} == null || (${rule})` : rule;
  },
  message: (spec, name) => `${name} must be ${numberRangeText(spec)}${spec.why ? ` (${spec.why})` : ''}.`,
  accepts(spec, value) {
    const n = value as number;
    const whole = spec.decimal || spec.registryRule ? true : Math.floor(n) === n;
    return Number.isFinite(n) && whole && n >= spec.min && n <= spec.max;
  },
  helpNote: (spec) =>
    `${numberRangeText(spec)}; ${spec.default === undefined ? 'optional' : `default ${spec.default}${spec.unit ? ` ${spec.unit}` : ''}`}`,
};
