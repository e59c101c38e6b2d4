import type { TextInput } from '../inputs.js';
import * as z from 'zod/mini';
import { addIssue, optionalString, show, type InputKind } from './kind.js';

/** The parsed URL, or undefined when it does not parse. */
export function parseUrl(raw: string | undefined): URL | undefined {
  if (!raw) return undefined;
  try {
    return new URL(raw);
  } catch {
    return undefined;
  }
}

export const hasCredentials = (url: URL): boolean => url.username !== '' || url.password !== '';

/**
 * An http(s) URL (the Coder deployment's). A URL with a user name or password is never quoted
 * back, and neither is one that does not parse (it may still hold a password).
 */
export const urlKind: InputKind<TextInput> = {
  validator(spec) {
    return optionalString((raw, ctx): string => {
      const url = parseUrl(raw);
      if (url && hasCredentials(url)) {
        addIssue(ctx, `expected the Coder deployment's http(s) URL without a user name or password (value not shown)`);
        return z.NEVER;
      }
      if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
        // A URL that parses (without credentials, checked above) is shown; one that does not
        // parse is not: it may still hold a password.
        const got = url ? show(raw) : raw === undefined ? 'nothing' : 'a value that is not a URL (not shown)';
        addIssue(ctx, `expected the Coder deployment's http(s) URL (${spec.hint ?? ''}), got ${got}`);
        return z.NEVER;
      }
      return url.toString();
    });
  },
  terraformCondition: () => undefined,
  message: (_spec, name) => `${name} must be an http(s) URL.`,
  accepts: (_spec, value) => /^https?:\/\//.test(value as string),
  helpNote: (spec) => (spec.required ? 'required' : 'optional'),
};
