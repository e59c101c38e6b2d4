import { createHash } from 'node:crypto';

/** Coder's workspace names: at most 32 characters of letters, digits and single inner dashes. */
export const workspaceNamePattern = /^[a-z0-9]+(-[a-z0-9]+)*$/;
export const maxWorkspaceNameLength = 32;
/** Hex digits of the order id's hash in a name: 64 bits, so two orders never meet. */
const hashDigits = 16;
/** The longest prefix that leaves room for `-<hash>`. */
export const maxNamePrefixLength = maxWorkspaceNameLength - hashDigits - 1;

/**
 * The workspace of one order, named from the order id alone: the same request twice names the
 * same workspace, so Coder's 409 "already exists" makes the hook idempotent. The name carries no
 * personal data (no account, no email) and nothing of the order itself.
 */
export function workspaceNameFor(prefix: string, orderId: string): string {
  const hash = createHash('sha256').update(orderId).digest('hex').slice(0, hashDigits);
  return `${prefix}-${hash}`;
}
