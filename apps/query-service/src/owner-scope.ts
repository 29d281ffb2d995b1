import type { Request } from 'express';
import { principalOf, seesAll } from '@tandem/platform/auth';

/**
 * Whose records a read may show: `undefined` for staff (everyone's), else the caller's own account, which every
 * read then filters on in SQL (a customer's own record and the orders of it; another's answers as not found).
 */
export function ownerScope(request: Request): string | undefined {
  const principal = principalOf(request);
  if (principal === undefined) throw new Error('a read route ran without an authenticated principal');
  return seesAll(principal) ? undefined : principal.subject;
}
