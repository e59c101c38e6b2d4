import type { InputSpec } from '../inputs.js';
import { choiceKind } from './choice.js';
import { commandKind } from './command.js';
import { httpsUrlKind } from './https-url.js';
import { idKind } from './id.js';
import type { InputKind } from './kind.js';
import { labelKind } from './label.js';
import { listKind } from './list.js';
import { numberKind } from './number.js';
import { pathKind } from './path.js';
import { secretKind } from './secret.js';
import { slugKind } from './slug.js';
import { urlKind } from './url.js';
import { usernameKind } from './username.js';
import { uuidKind } from './uuid.js';

type KindName = InputSpec['kind'];
type SpecOf<K extends KindName> = Extract<InputSpec, { kind: K }>;

/** Every kind of input and what it means (config/kinds/<kind>.ts). */
const kinds: { [K in KindName]: InputKind<SpecOf<K>> } = {
  number: numberKind,
  path: pathKind,
  choice: choiceKind,
  list: listKind,
  secret: secretKind,
  uuid: uuidKind,
  url: urlKind,
  'https-url': httpsUrlKind,
  command: commandKind,
  id: idKind,
  label: labelKind,
  username: usernameKind,
  slug: slugKind,
};

/** The rules of an input's kind, bound to its row. */
export function kindOf(spec: InputSpec): InputKind<InputSpec> {
  return kinds[spec.kind] as InputKind<InputSpec>;
}

export { hclString } from './kind.js';
export type { Env, InputKind, InputValidator } from './kind.js';
