import type { ProblemExtensions } from '@tandem/contracts';
import { problem, ProblemException, type ProblemDetails } from './problem';

/**
 * Every problem code that the HTTP layers answer by themselves (the domain's rule codes are in
 * `@tandem/write/domain`'s DOMAIN_ERROR_CODES). Clients switch on these: a code is never renamed or reused, and
 * docs/api.md lists each one. `problemOf` takes the status and title from here, so a code cannot be answered with
 * two statuses.
 */
export const HTTP_PROBLEM_CODES = {
  'request.invalid': { status: 400, title: 'The request is invalid' },
  'request.malformed-json': { status: 400, title: 'Malformed JSON' },
  'request.json-too-deep': { status: 400, title: 'JSON nested too deeply' },
  'request.malformed-encoding': { status: 400, title: 'Body does not decode' },
  'request.malformed-http': { status: 400, title: 'Malformed HTTP request' },
  'request.timeout': { status: 408, title: 'Request not received in time' },
  'request.too-large': { status: 413, title: 'Request body too large' },
  'request.unsupported-media-type': { status: 415, title: 'Unsupported media type' },
  'request.unsupported-encoding': { status: 415, title: 'Unsupported body encoding' },
  'request.headers-too-large': { status: 431, title: 'Request headers too large' },
  'route.not-found': { status: 404, title: 'No such route' },
  'command.not-found': { status: 404, title: 'No such command' },
  'auth.token-missing': { status: 401, title: 'Authentication required' },
  'auth.token-invalid': { status: 401, title: 'Invalid access token' },
  'auth.forbidden': { status: 403, title: 'Not allowed' },
  'auth.keys-unavailable': { status: 503, title: 'Signing keys unavailable' },
  'customer.already-registered': { status: 409, title: 'Customer already registered' },
  'customer.email-not-verified': { status: 403, title: 'Email not verified' },
  'precondition.version-mismatch': { status: 412, title: 'Precondition version mismatch' },
  'concurrency.conflict': { status: 409, title: 'Concurrency conflict' },
  'idempotency.key-reused': { status: 422, title: 'Idempotency key reused' },
  'rate-limit.exceeded': { status: 429, title: 'Too many requests' },
  'live.too-many-streams': { status: 429, title: 'Too many live streams' },
  internal: { status: 500, title: 'Internal server error' },
  'upstream.unavailable': { status: 502, title: 'Upstream service unavailable' },
  'upstream.timeout': { status: 504, title: 'Upstream service timed out' },
} as const satisfies Record<string, { status: number; title: string }>;

export type HttpProblemCode = keyof typeof HTTP_PROBLEM_CODES;

/** The problem body of a catalogued code. */
export function problemOf(
  code: HttpProblemCode,
  detail?: string,
  extensions?: ProblemExtensions,
): ProblemDetails {
  const { status, title } = HTTP_PROBLEM_CODES[code];
  return problem(status, code, title, detail, extensions);
}

/** Throw this to answer with a catalogued problem. */
export function problemException(
  code: HttpProblemCode,
  detail?: string,
  extensions?: ProblemExtensions,
): ProblemException {
  return new ProblemException(problemOf(code, detail, extensions));
}
