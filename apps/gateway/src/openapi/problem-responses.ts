import { ApiExtension } from '@nestjs/swagger';
import type { OpenAPIObject, OperationObject, PathItemObject, ResponseObject } from '@nestjs/swagger';
import {
  HTTP_PROBLEM_CODES,
  PROBLEM_CONTENT_TYPE,
  problemType,
  type HttpProblemCode,
} from '@tandem/platform/http';
import { EXAMPLE_IDS } from './examples';

/**
 * Every problem code each operation can answer, declared per route (`ProblemCodes`, from the command tables'
 * `rejects` and the read routes' not-found codes) and completed here with what the platform answers on every
 * route: each operation of the document gets `x-problem-codes` (the sorted list), one response per status with
 * its codes in the description and an example body per code, and `ProblemDetails.code` becomes the enum of every
 * code the document names (the typed client's code union).
 */

/** A code and the status it is answered with. */
export type ProblemCodeSet = Readonly<Record<string, number>>;

/** Catalogued HTTP-layer codes, with their status from the one catalogue. */
export function httpCodes(...codes: HttpProblemCode[]): ProblemCodeSet {
  return Object.fromEntries(codes.map((code) => [code, HTTP_PROBLEM_CODES[code].status]));
}

const DECLARED = 'x-tandem-problem-codes';

/** Declares codes a route answers (merged with any declared before on the same route). */
export function ProblemCodes(...sets: ProblemCodeSet[]): MethodDecorator {
  return ApiExtension(DECLARED, Object.assign({}, ...sets) as ProblemCodeSet);
}

/** Any route: what the HTTP server itself answers before a route is chosen, and a bug. */
const EVERY_ROUTE = httpCodes(
  'request.malformed-http',
  'request.timeout',
  'request.headers-too-large',
  'internal',
);
/** A route that needs a token: the access guard's answers. */
const PROTECTED = httpCodes(
  'auth.token-missing',
  'auth.token-invalid',
  'auth.forbidden',
  'auth.keys-unavailable',
);

const STATUS_TEXT: Record<number, string> = {
  400: 'The request is invalid: `errors` names each bad field (body field, path or query parameter, header).',
  401: 'No acceptable access token: send one as `Authorization: Bearer <token>`; `WWW-Authenticate` says what was wrong (RFC 6750).',
  403: 'The token is valid, but this caller may not do this.',
  404: 'No such resource (or no such route).',
  408: 'The request’s headers did not arrive in time.',
  409: 'A business rule refused the command; `code` names the rule.',
  412: 'If-Match named a version that is no longer current; nothing was written.',
  413: 'The body is larger than 1 MB.',
  415: 'The body is not `application/json`, or its encoding is not one the API reads.',
  422: 'The Idempotency-Key was already used with a different body (or by another caller).',
  429: 'Over a limit: `code` says which; retry later (after `Retry-After` when it is sent).',
  431: 'The request line and headers exceed 16 KB.',
  500: 'A bug: quote `X-Correlation-Id`.',
  502: '`upstream.unavailable`: the service owning this route could not be reached.',
  503: 'Not available right now: retry after `Retry-After`.',
  504: '`upstream.timeout`: the owning service did not answer in time (a command may have been applied: retry it with the same key).',
};

const CORRELATION_HEADER = {
  'X-Correlation-Id': {
    description: 'The id this request is logged under in every service (yours, if you sent a sane one).',
    schema: { type: 'string' },
  },
};

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

/** Completes every operation's problem answers and lists the document's codes in `ProblemDetails.code`. */
export function completeProblemResponses(document: OpenAPIObject): void {
  const everyCode = new Set<string>();
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation = (item as PathItemObject)[method];
      if (!operation) continue;
      const codes = codesOf(operation);
      for (const code of Object.keys(codes)) everyCode.add(code);
      addProblemResponses(operation, codes, path);
    }
  }
  const schema = document.components?.schemas?.['ProblemDetails'];
  const code = schema && 'properties' in schema ? schema.properties?.['code'] : undefined;
  if (code && !('$ref' in code)) code.enum = [...everyCode].sort();
}

function codesOf(operation: OperationObject): ProblemCodeSet {
  const extensions = operation as OperationObject & Record<string, unknown>;
  const declared = (extensions[DECLARED] ?? {}) as ProblemCodeSet;
  delete extensions[DECLARED];
  const codes = { ...EVERY_ROUTE, ...(operation.security?.length ? PROTECTED : {}), ...declared };
  extensions['x-problem-codes'] = Object.keys(codes).sort();
  return codes;
}

function addProblemResponses(operation: OperationObject, codes: ProblemCodeSet, path: string): void {
  const byStatus = new Map<number, string[]>();
  for (const [code, status] of Object.entries(codes))
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  for (const [status, list] of [...byStatus].sort(([a], [b]) => a - b)) {
    const sorted = list.sort();
    const response: ResponseObject = {
      description: `${STATUS_TEXT[status] ?? 'A problem.'} Codes: ${sorted.map((c) => `\`${c}\``).join(', ')}.`,
      headers: CORRELATION_HEADER,
      content: {
        [PROBLEM_CONTENT_TYPE]: {
          schema: { $ref: '#/components/schemas/ProblemDetails' },
          examples: Object.fromEntries(
            sorted.map((code) => [code, { summary: code, value: exampleProblem(code, status, path) }]),
          ),
        },
      },
    };
    operation.responses[String(status)] = response;
  }
}

function exampleProblem(code: string, status: number, path: string): Record<string, unknown> {
  const catalogued = (HTTP_PROBLEM_CODES as Record<string, { title: string } | undefined>)[code];
  const title = catalogued?.title ?? titleOf(code);
  const instance = path
    .replace('{id}', path.startsWith('/api/customers') ? EXAMPLE_IDS.customer : EXAMPLE_IDS.order)
    .replace('{sku}', EXAMPLE_IDS.sku)
    .replace('{idempotencyKey}', EXAMPLE_IDS.idempotencyKey);
  return {
    type: problemType(code),
    title,
    status,
    instance,
    code,
    ...(code === 'request.invalid'
      ? {
          detail: 'quantity: Too small: expected number to be >=1',
          errors: [{ field: 'quantity', message: 'Too small: expected number to be >=1' }],
        }
      : {}),
  };
}

/** How the platform titles a rule's code (`order.no-lines` → `Order no lines`), as problemFromCodedError does. */
function titleOf(code: string): string {
  const words = code.replace(/[.-]/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
