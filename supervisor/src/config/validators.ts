import path from 'node:path';
import * as z from 'zod/mini';
import {
  numberRangeText,
  userNamePattern,
  type ChoiceInput,
  type InputSpec,
  type ListInput,
  type NumberInput,
  type PathInput,
  type TextInput,
} from './inputs.js';

/** The environment a command runs in; only HOME shapes defaults. */
export type Env = Readonly<Record<string, string | undefined>>;

type Ctx = z.core.ParsePayload<unknown>;

function addIssue(ctx: Ctx, message: string): void {
  // The input is deliberately not attached: the message says what may be shown of it.
  ctx.issues.push({ code: 'custom', message, input: undefined });
}

/** Quotes a non-secret input back; secrets never reach this. */
export const show = (input: unknown): string => (input === undefined ? 'nothing' : JSON.stringify(input));

/** An optional string, transformed and checked by `fn`, which reports through `ctx`. */
function optionalString<T>(fn: (raw: string | undefined, ctx: Ctx) => T) {
  return z.pipe(z.optional(z.string()), z.transform(fn));
}

const isBlank = (raw: string | undefined): raw is undefined => raw === undefined || raw.trim() === '';

function numberValidator(spec: NumberInput) {
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
}

function pathValidator(spec: PathInput, env: Env) {
  return optionalString((raw, ctx): string | undefined => {
    let value = raw === undefined || raw === '' ? spec.default : raw;
    if (value === undefined && spec.stateHomeDefault !== undefined) {
      // XDG: a relative XDG_STATE_HOME is invalid and ignored.
      const xdg = env.XDG_STATE_HOME && path.isAbsolute(env.XDG_STATE_HOME) ? env.XDG_STATE_HOME : undefined;
      if (!xdg && !env.HOME) {
        addIssue(ctx, `is required: neither XDG_STATE_HOME nor HOME is set, so pass --${spec.flag ?? '?'}`);
        return z.NEVER;
      }
      value = path.join(xdg ?? path.join(env.HOME as string, '.local', 'state'), spec.stateHomeDefault);
    }
    if (value === undefined && spec.homeDefault !== undefined) {
      if (!env.HOME) {
        addIssue(ctx, `is required: HOME is not set, so pass --${spec.flag ?? '?'}`);
        return z.NEVER;
      }
      value = path.join(env.HOME, spec.homeDefault);
    }
    if (value === undefined) return undefined;
    if (!path.isAbsolute(value) || value.includes('\0')) {
      addIssue(ctx, `expected an absolute path, got ${show(value)}`);
      return z.NEVER;
    }
    const normal = path.normalize(value);
    // Kernel file systems: a recursive mkdir there can loop forever (/proc/self).
    if (spec.flag === 'state-dir' || spec.flag === 'log-dir') {
      if (/^\/(proc|sys|dev)(\/|$)/.test(normal)) {
        addIssue(ctx, `expected a directory on a real file system, not under /proc, /sys or /dev, got ${show(value)}`);
        return z.NEVER;
      }
    }
    return normal;
  });
}

function choiceValidator(spec: ChoiceInput) {
  return optionalString((raw, ctx): string => {
    const value = raw === undefined || raw === '' ? spec.default : raw;
    if (!spec.choices.includes(value)) {
      addIssue(ctx, `expected one of ${spec.choices.join(', ')}, got ${show(raw)}`);
      return z.NEVER;
    }
    return value;
  });
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function textValidator(spec: TextInput) {
  return optionalString((raw, ctx): string | undefined => {
    if (spec.kind === 'secret') {
      if (isBlank(raw)) {
        if (!spec.required) return undefined;
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
    }
    if (spec.kind === 'uuid') {
      if (raw === undefined || !uuidPattern.test(raw.trim())) {
        addIssue(ctx, `expected the workspace UUID (${spec.hint ?? ''}), got ${show(raw)}`);
        return z.NEVER;
      }
      return raw.trim().toLowerCase();
    }
    if (spec.kind === 'url') {
      let url: URL | undefined;
      try {
        url = raw ? new URL(raw) : undefined;
      } catch {
        url = undefined;
      }
      if (url && (url.username !== '' || url.password !== '')) {
        // Never quoted back: its password is a secret.
        addIssue(ctx, `expected the Coder deployment's http(s) URL without a user name or password (value not shown)`);
        return z.NEVER;
      }
      if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
        // Never quoted back either: a value that does not parse may still hold a user and password.
        // A URL that parsed has no user or password (refused above), so it may be shown.
        const got = url
          ? `got ${show(raw)}`
          : raw === undefined || raw.trim() === ''
            ? 'got nothing'
            : `got a value that does not parse as a URL (${raw.length} characters; not shown, since it may hold a password)`;
        addIssue(ctx, `expected the Coder deployment's http(s) URL (${spec.hint ?? ''}), ${got}`);
        return z.NEVER;
      }
      return url.toString();
    }
    if (spec.kind === 'https-url') {
      if (isBlank(raw)) return undefined;
      let url: URL | undefined;
      try {
        url = new URL(raw);
      } catch {
        url = undefined;
      }
      // Never quoted back: a URL with a password in it is a secret.
      if (!url || url.protocol !== 'https:' || url.username !== '' || url.password !== '') {
        addIssue(ctx, 'expected an https:// URL without a user name or password (value not shown)');
        return z.NEVER;
      }
      return url.toString();
    }
    if (spec.kind === 'username') {
      const value = isBlank(raw) ? spec.default : raw;
      if (value === undefined || !userNamePattern.test(value)) {
        addIssue(ctx, `expected a Unix user name (lower case, up to 32 characters) or "none", got ${show(raw)}`);
        return z.NEVER;
      }
      return value;
    }
    if (spec.kind === 'label') {
      if (isBlank(raw)) return undefined;
      if (!/^[\x20-\x7e]{1,200}$/.test(raw)) {
        addIssue(ctx, `expected one line of at most 200 printable ASCII characters, got ${show(raw)}`);
        return z.NEVER;
      }
      return raw;
    }
    return isBlank(raw) ? spec.default : raw;
  });
}

/** Each word of a list may not be a flag that the supervisor owns (nor `--flag=value` of one). */
function listValidator(spec: ListInput) {
  return z.pipe(
    z.optional(z.array(z.string())),
    z.transform((raw, ctx): string[] => {
      const words = raw ?? [];
      // Every problem at once: each owned flag is named (a value is never quoted: it may be a secret).
      const owned = [
        ...new Set(words.map((word) => word.split('=')[0] ?? '').filter((f) => spec.forbidden.includes(f))),
      ];
      if (owned.length > 0) {
        addIssue(
          ctx,
          `${owned.join(', ')} ${owned.length === 1 ? 'is' : 'are'} set by the supervisor or by ${owned.length === 1 ? 'its' : 'their'} own input and cannot be passed here`,
        );
      }
      const multiLine = words.some((word) => word.includes('\0') || /[\r\n]/.test(word));
      if (multiLine) addIssue(ctx, 'expected words on one line without NUL bytes');
      return owned.length > 0 || multiLine ? z.NEVER : words;
    }),
  );
}

/** The zod schema of one input, from its row in the table. */
export function validatorFor(spec: InputSpec, env: Env) {
  switch (spec.kind) {
    case 'number':
      return numberValidator(spec);
    case 'path':
      return pathValidator(spec, env);
    case 'choice':
      return choiceValidator(spec);
    case 'list':
      return listValidator(spec);
    default:
      return textValidator(spec);
  }
}
