import * as z from 'zod/mini';

/** The environment a command runs in; only HOME and XDG_STATE_HOME shape defaults. */
export type Env = Readonly<Record<string, string | undefined>>;

/** A validator of one input: raw text (or words) in, the typed value out, problems through zod. */
export type InputValidator = z.ZodMiniType;

/**
 * Everything one kind of input means, in one place: how the supervisor validates it, the
 * module's Terraform condition, the message that the module and the construct give, the
 * construct's synth-time check, and what `--help` says of its default.
 */
export interface InputKind<S> {
  validator(spec: S, env: Env): InputValidator;
  /** The Terraform validation condition on `v` (such as `var.health_port`); undefined: none. */
  terraformCondition(spec: S, v: string): string | undefined;
  /** The module's and the construct's error message for the variable `name`. */
  message(spec: S, name: string): string;
  /** The construct's check of a value known at synth time. */
  accepts(spec: S, value: unknown): boolean;
  /** `--help`'s note on the default. */
  helpNote(spec: S): string;
}

type Ctx = z.core.ParsePayload<unknown>;

export function addIssue(ctx: Ctx, message: string): void {
  // The input is deliberately not attached: the message says what may be shown of it.
  ctx.issues.push({ code: 'custom', message, input: undefined });
}

/** Quotes a value that cannot hold a credential back; secrets and URLs never reach this. */
export const show = (input: unknown): string => (input === undefined ? 'nothing' : JSON.stringify(input));

/** An optional string, transformed and checked by `fn`, which reports through `ctx`. */
export function optionalString<T>(fn: (raw: string | undefined, ctx: Ctx) => T): InputValidator {
  return z.pipe(z.optional(z.string()), z.transform(fn));
}

export const isBlank = (raw: string | undefined): raw is undefined => raw === undefined || raw.trim() === '';

/** An HCL string literal: JSON, with template sequences escaped so they stay literal text. */
export const hclString = (value: unknown): string =>
  JSON.stringify(value)
    .replaceAll('${', () => '$${')
    .replaceAll('%{', () => '%%{');

/**
 * A Terraform regex() of a JavaScript pattern (RE2 reads the same syntax for the patterns used
 * here); `source` escapes every `/`, which RE2 does not need.
 */
export const hclRegex = (pattern: RegExp): string => hclString(pattern.source.replaceAll('\\/', '/'));
