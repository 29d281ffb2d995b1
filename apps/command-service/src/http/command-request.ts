import { createHash, randomUUID } from 'node:crypto';
import type { Request } from 'express';
import { principalOf } from '@tandem/platform/auth';
import { validationProblem } from '@tandem/platform/http';
import { currentContext, formatTraceparent } from '@tandem/platform/observability';
import type { CommandOptions } from '@tandem/write/persistence';

export const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * What a command needs to know of its HTTP request: the correlation id and trace, the client's `Idempotency-Key`
 * (which is the command id) with a fingerprint of the request it stands for.
 */
export function commandOptions(request: Request): CommandOptions {
  const context = currentContext();
  const principal = principalOf(request);
  const origin = {
    correlationId: context?.correlationId ?? randomUUID(),
    ...(context?.trace ? { traceparent: formatTraceparent(context.trace) } : {}),
    ...(principal ? { issuedBy: { subject: principal.subject, roles: principal.roles } } : {}),
  };
  const key = request.header('idempotency-key');
  if (key === undefined) return { ...origin, commandId: randomUUID() };
  if (!IDEMPOTENCY_KEY.test(key)) {
    throw validationProblem([
      { field: 'Idempotency-Key', message: 'must be 1 to 255 visible ASCII characters' },
    ]);
  }
  return {
    ...origin,
    commandId: key,
    idempotency: { key, fingerprint: fingerprint(request, principal?.subject) },
  };
}

/**
 * Same caller, method, path and JSON body (whatever the key order) give the same fingerprint. The caller is in it:
 * another principal that sends the same key is refused (422), never given the first one's answer.
 */
function fingerprint(request: Request, subject = ''): string {
  const path = request.originalUrl.split('?')[0] ?? request.originalUrl;
  return createHash('sha256')
    .update(`${JSON.stringify(subject)} ${request.method} ${path}\n${canonicalJson(request.body)}`)
    .digest('base64url');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** `If-Match: "3"` (or `3`, or `W/"3"`) → 3; absent → undefined; anything else is a 400. */
export function expectedVersion(request: Request): number | undefined {
  const raw = request.header('if-match');
  if (raw === undefined) return undefined;
  const match = /^(?:W\/)?"?(\d{1,9})"?$/.exec(raw.trim());
  if (!match) {
    throw validationProblem([{ field: 'If-Match', message: 'must be the version to update, e.g. "3"' }]);
  }
  return Number(match[1]);
}
