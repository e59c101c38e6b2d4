import type { TextInput } from '../inputs.js';
import * as z from 'zod/mini';
import { addIssue, hclRegex, isBlank, optionalString, type InputKind } from './kind.js';
import { hasCredentials, parseUrl } from './url.js';

/** What the module and the construct can check without a URL parser: https, no `user@`. */
const httpsWithoutUser = /^https:\/\/[^/@]+(\/.*)?$/;

/** An https:// URL without a user name or password; never quoted back (it could hold one). */
export const httpsUrlKind: InputKind<TextInput> = {
  validator() {
    return optionalString((raw, ctx): string | undefined => {
      if (isBlank(raw)) return undefined;
      const url = parseUrl(raw);
      if (!url || url.protocol !== 'https:' || hasCredentials(url)) {
        addIssue(ctx, 'expected an https:// URL without a user name or password (value not shown)');
        return z.NEVER;
      }
      return url.toString();
    });
  },
  terraformCondition: (_spec, v) =>
    `${v} == null || can(regex(${hclRegex(httpsWithoutUser)}, coalesce(${v}, "https://x")))`,
  message: (_spec, name) => `${name} must be an https:// URL without a user name or password, or null.`,
  accepts: (_spec, value) => httpsWithoutUser.test(value as string),
  helpNote: () => 'optional',
};
