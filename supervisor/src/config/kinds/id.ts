import type { TextInput } from '../inputs.js';
import { isBlank, optionalString, type InputKind } from './kind.js';

/** Free text that Terraform hands over (the agent's ID): the registry module checks nothing. */
export const idKind: InputKind<TextInput> = {
  validator: (spec) => optionalString((raw) => (isBlank(raw) ? spec.default : raw)),
  terraformCondition: () => undefined,
  message: (_spec, name) => `${name} is not valid.`,
  accepts: () => true,
  helpNote: (spec) => (spec.required ? 'required' : 'optional'),
};
