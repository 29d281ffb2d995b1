import { problemOf, ProblemException } from '@tandem/platform/http';

/** The realm named in every `WWW-Authenticate` challenge. */
export const AUTH_REALM = 'tandem';

/**
 * 401 without a token (RFC 6750 §3.1: no error code when the request had no authentication), or with a token
 * that is not acceptable (`error="invalid_token"` and a description, which never echoes the token).
 */
export function unauthenticated(
  code: 'auth.token-missing' | 'auth.token-invalid',
  detail: string,
): ProblemException {
  const challenge =
    code === 'auth.token-missing'
      ? `Bearer realm="${AUTH_REALM}"`
      : `Bearer realm="${AUTH_REALM}", error="invalid_token", error_description="${quoted(detail)}"`;
  return new ProblemException(problemOf(code, detail), { 'WWW-Authenticate': challenge });
}

/** 403: the token is valid but its roles do not include one the route requires. */
export function forbidden(detail: string): ProblemException {
  return new ProblemException(problemOf('auth.forbidden', detail), {
    'WWW-Authenticate': `Bearer realm="${AUTH_REALM}", error="insufficient_scope"`,
  });
}

/** 503: the issuer's keys could not be fetched, so a token signed with a new key cannot be checked yet. */
export function keysUnavailable(detail: string): ProblemException {
  return new ProblemException(problemOf('auth.keys-unavailable', detail), {
    'Retry-After': '5',
  });
}

// A quoted-string may not hold a bare `"` or `\` (RFC 9110 §5.6.4); descriptions are ASCII text.
function quoted(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?').replace(/["\\]/g, "'");
}
