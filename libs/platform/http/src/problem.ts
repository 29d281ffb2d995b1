import { isReservedProblemMember, type ProblemExtensions } from '@tandem/contracts';

/**
 * RFC 9457 problem details. `type` is a stable URN per problem (`urn:tandem:problem:<code>`); clients switch on
 * `code` (or `type`), never on `title` or `detail`, which are for people.
 */
export interface FieldError {
  /** Dotted path of the offending field in the request (`lines.0.quantity`), or a query/header name. */
  field: string;
  message: string;
}

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  code: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export function problemType(code: string): string {
  return `urn:tandem:problem:${code}`;
}

/**
 * A problem body. Extensions can never replace a member: their type forbids the reserved names, and a value that
 * reaches here by a cast anyway is dropped, so `status` is always the HTTP status and `code` always the code.
 */
export function problem(
  status: number,
  code: string,
  title: string,
  detail?: string,
  extensions: ProblemExtensions = {},
): ProblemDetails {
  const own = Object.fromEntries(
    Object.entries(extensions).filter(([name]) => !isReservedProblemMember(name)),
  );
  return {
    ...own,
    type: problemType(code),
    title,
    status,
    ...(detail === undefined ? {} : { detail }),
    code,
  };
}

/** Throw this anywhere in a request to answer with exactly this problem. */
export class ProblemException extends Error {
  override readonly name = 'ProblemException';
  /** `headers`: response headers the problem needs (`WWW-Authenticate`, `Retry-After`). */
  constructor(
    readonly problem: ProblemDetails,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(problem.detail ?? problem.title);
  }
}

export function validationProblem(errors: FieldError[], detail?: string): ProblemException {
  const body = problem(
    400,
    'request.invalid',
    'The request is invalid',
    detail ?? errors.map((e) => `${e.field}: ${e.message}`).join('; '),
  );
  return new ProblemException({ ...body, errors });
}

/**
 * An error that carries a stable code and a kind, as the domain's rule errors do. Recognised by shape so that
 * platform code needs no import from any domain.
 */
export interface CodedError {
  code: string;
  kind: 'not-found' | 'conflict' | 'invalid' | 'precondition-failed';
  message: string;
  details?: ProblemExtensions;
}

export function isCodedError(error: unknown): error is CodedError {
  if (!(error instanceof Error)) return false;
  const candidate = error as Error & Partial<CodedError>;
  return (
    typeof candidate.code === 'string' &&
    (candidate.kind === 'not-found' ||
      candidate.kind === 'conflict' ||
      candidate.kind === 'invalid' ||
      candidate.kind === 'precondition-failed')
  );
}

const STATUS_OF_KIND: Record<CodedError['kind'], number> = {
  'not-found': 404,
  conflict: 409,
  invalid: 400,
  'precondition-failed': 412,
};

export function problemFromCodedError(error: CodedError): ProblemDetails {
  const status = STATUS_OF_KIND[error.kind];
  return problem(status, error.code, titleOf(error.code), error.message, error.details ?? {});
}

function titleOf(code: string): string {
  const words = code.replace(/[.-]/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
