import type { components } from './generated/openapi';

/** An RFC 9457 problem body as the Tandem API answers every error. */
export type Problem = components['schemas']['ProblemDetails'];

/** Every problem code the API documents (a code is never renamed or reused; new ones may be added). */
export type ProblemCode = Problem['code'];

/**
 * A problem answer as an error: `code` to switch on (never `title` or `detail`, which are for people), the
 * HTTP `status`, the whole `problem` body with its extension members, and the `response` it came in.
 */
export class TandemProblem extends Error {
  override readonly name = 'TandemProblem';
  readonly code: ProblemCode;
  readonly status: number;

  constructor(
    readonly problem: Problem,
    readonly response: Response,
  ) {
    super(`${problem.status} ${problem.code}: ${problem.detail ?? problem.title}`);
    this.code = problem.code;
    this.status = problem.status;
  }
}

/** True when `error` is a problem answer (with that code, when one is given). */
export function isProblem<Code extends ProblemCode>(
  error: unknown,
  code?: Code,
): error is TandemProblem & { code: Code } {
  return error instanceof TandemProblem && (code === undefined || error.code === code);
}

/** Whether a body is a problem (by shape: a `code` and a numeric `status`), for answers read by hand. */
export function asProblem(body: unknown): Problem | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const { code, status, type, title } = body as Record<string, unknown>;
  if (typeof code !== 'string' || typeof status !== 'number' || typeof type !== 'string') return undefined;
  if (typeof title !== 'string') return undefined;
  return body as Problem;
}
