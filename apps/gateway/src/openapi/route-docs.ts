import { applyDecorators } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiExtension,
  ApiHeader,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiResponse,
  type HeaderObject,
  type SchemaObject,
} from '@nestjs/swagger';
import type { Access, CommandRoute, PathParam, PathParamKind } from '@tandem/contracts';
import { PROBLEM_CONTENT_TYPE, RouteAccess } from '@tandem/platform/http';
import { commandBodyRef, schemaRef, type SchemaName } from './component-schemas';

/**
 * The OpenAPI description of each kind of route, in one place so that every command route documents the same
 * headers and problems, and every read route the same freshness and consistency behaviour.
 */

const CORRELATION_HEADER: Record<string, HeaderObject> = {
  'X-Correlation-Id': {
    description: 'The id this request is logged under in every service (yours, if you sent a sane one).',
    schema: { type: 'string' },
  },
};

const FRESHNESS_HEADERS: Record<string, HeaderObject> = {
  'X-Data-As-Of': {
    description: 'Time of the last event the read model had applied when it answered (how fresh this is).',
    schema: { type: 'string', format: 'date-time' },
  },
  'X-Consistency': {
    description:
      'Only when X-Consistency-Token was sent: `reached` if the read model had applied the token’s version, ' +
      '`behind` if the wait ran out first (the answer is then older than your write).',
    schema: { type: 'string', enum: ['reached', 'behind'] },
  },
  'Preference-Applied': {
    description: 'Echoes the `Prefer: wait=N` that was honoured.',
    schema: { type: 'string' },
  },
};

const ETAG_HEADER: Record<string, HeaderObject> = {
  ETag: {
    description: 'Version of the resource; send it back in If-None-Match to get 304 when nothing changed.',
    schema: { type: 'string' },
  },
};

const PROBLEM_DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input: `errors` names each bad field (body field, path or query parameter, header).',
  401:
    '`auth.token-missing` or `auth.token-invalid` (expired, wrong issuer or audience, bad signature): send a valid ' +
    'access token as `Authorization: Bearer <token>`. `WWW-Authenticate` says what was wrong (RFC 6750).',
  403: '`auth.forbidden`: the token is valid, but none of its roles may use this route.',
  404: 'No such resource (or no such route).',
  409: 'A business rule refused the command; `code` names the rule (e.g. `order.no-lines`).',
  412: 'If-Match named a version that is no longer current; nothing was written.',
  413: 'The body is larger than 1 MB.',
  415: 'The body is not `application/json`.',
  422: 'The Idempotency-Key was already used with a different body.',
  502: '`upstream.unavailable`: the service owning this route could not be reached.',
  504: '`upstream.timeout`: the owning service did not answer in time (a command may have been applied).',
};

/** The security scheme every protected operation names (OpenAPI `components.securitySchemes`). */
export const BEARER_SCHEME = 'bearer';

/**
 * Who may call a route, declared once: enforced by the access guard (here and in the owning service) and shown in
 * the OpenAPI document (`security`, the roles in `x-tandem-roles` and the description, 401 and 403 answers).
 */
export function Access(access: Access): MethodDecorator & ClassDecorator {
  if (access.public === true) return RouteAccess(access);
  return applyDecorators(
    RouteAccess(access),
    ApiBearerAuth(BEARER_SCHEME),
    ApiExtension('x-tandem-roles', [...access.roles]),
    problemResponse(401),
    problemResponse(403),
  );
}

function problemResponse(status: number) {
  return ApiResponse({
    status,
    description: PROBLEM_DESCRIPTIONS[status] ?? 'Problem',
    headers: CORRELATION_HEADER,
    content: { [PROBLEM_CONTENT_TYPE]: { schema: schemaRef('ProblemDetails') } },
  });
}

const PARAM_SCHEMAS: Record<PathParamKind, SchemaObject> = {
  uuid: { type: 'string', format: 'uuid' },
  sku: { type: 'string' },
};

function pathParams(params: Readonly<Record<string, PathParam>>) {
  return Object.entries(params).map(([name, p]) =>
    ApiParam({ name, description: p.description, schema: PARAM_SCHEMAS[p.kind] }),
  );
}

/**
 * A command, as its contract declares it: idempotent with Idempotency-Key, guarded by If-Match when it acts on an
 * existing aggregate, answered 201 with a Location when it creates one.
 */
export function CommandRouteDocs(route: CommandRoute): MethodDecorator {
  const actsOnExisting = !route.creates;
  const decorators = [
    ApiOperation({
      operationId: route.operationId,
      summary: route.summary,
      description: withRoles(route.description, route.access),
    }),
    Access(route.access),
    ...pathParams(route.params),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description:
        'Client-chosen command id (a UUID is a good choice). A repeat with the same key and body returns the ' +
        'first answer and writes nothing again; the same key with another body is a 422. Kept at least 24 h.',
      schema: { type: 'string', maxLength: 200 },
    }),
  ];
  if (actsOnExisting) {
    decorators.push(
      ApiHeader({
        name: 'If-Match',
        required: false,
        description:
          'The aggregate version you based this command on (the `version` of your last command answer). ' +
          'If it is no longer current the command is refused with 412 and nothing is written.',
        schema: { type: 'string' },
      }),
    );
  }
  if (route.body) decorators.push(ApiBody({ required: true, schema: commandBodyRef(route.body) }));
  decorators.push(
    ApiResponse({
      status: route.creates ? 201 : 200,
      description: route.creates
        ? 'Created. `consistencyToken` lets a following read wait for this write (X-Consistency-Token).'
        : 'Accepted and committed. `consistencyToken` lets a following read wait for this write.',
      headers: route.creates
        ? {
            Location: { description: 'Path of the created resource', schema: { type: 'string' } },
            ...CORRELATION_HEADER,
          }
        : CORRELATION_HEADER,
      content: { 'application/json': { schema: schemaRef('CommandAccepted') } },
    }),
  );
  const statuses = [400, 404, 409, ...(actsOnExisting ? [412] : []), 413, 415, 422, 502, 504];
  return applyDecorators(...decorators, ...statuses.map(problemResponse));
}

export interface QueryParam {
  name: string;
  description: string;
  schema: SchemaObject;
  required?: boolean;
}

export interface QueryRouteDoc {
  operationId: string;
  access: Access;
  summary: string;
  description?: string;
  params?: Readonly<Record<string, PathParam>>;
  query?: QueryParam[];
  response: SchemaName;
  /** A single resource with an ETag: If-None-Match can answer 304. */
  conditional?: boolean;
  /** Which problems besides 400 the route can answer. */
  notFound?: boolean;
}

/** A read from a read model: freshness headers, optional read-your-writes wait, ETag where there is one. */
export function QueryRoute(doc: QueryRouteDoc): MethodDecorator {
  const decorators = [
    ApiOperation({
      operationId: doc.operationId,
      summary: doc.summary,
      description: withRoles(doc.description, doc.access),
    }),
    Access(doc.access),
    ...pathParams(doc.params ?? {}),
    ...(doc.query ?? []).map((q) =>
      ApiQuery({ name: q.name, description: q.description, required: q.required ?? false, schema: q.schema }),
    ),
    ApiHeader({
      name: 'X-Consistency-Token',
      required: false,
      description:
        'The `consistencyToken` of a command you sent: the read waits until the read model has applied that ' +
        'write (2 s by default), then answers; X-Consistency says whether it got there.',
      schema: { type: 'string' },
    }),
    ApiHeader({
      name: 'Prefer',
      required: false,
      description: '`wait=N`: with X-Consistency-Token, wait up to N seconds (at most 10) instead of 2.',
      schema: { type: 'string', example: 'wait=5' },
    }),
  ];
  if (doc.conditional) {
    decorators.push(
      ApiHeader({
        name: 'If-None-Match',
        required: false,
        description: 'An ETag from an earlier answer: 304 with no body if the resource has not changed.',
        schema: { type: 'string' },
      }),
    );
  }
  decorators.push(
    ApiResponse({
      status: 200,
      description: 'The read model’s answer, with how fresh it is.',
      headers: {
        ...FRESHNESS_HEADERS,
        ...(doc.conditional ? ETAG_HEADER : {}),
        ...CORRELATION_HEADER,
      },
      content: { 'application/json': { schema: schemaRef(doc.response) } },
    }),
  );
  if (doc.conditional) {
    decorators.push(
      ApiResponse({
        status: 304,
        description: 'Not modified since the ETag sent in If-None-Match. No body.',
        headers: { ...ETAG_HEADER, ...FRESHNESS_HEADERS, ...CORRELATION_HEADER },
      }),
    );
  }
  const statuses = [400, ...(doc.notFound ? [404] : []), 502, 504];
  return applyDecorators(...decorators, ...statuses.map(problemResponse));
}

/** The route's description, then who may call it, in words. */
function withRoles(description: string | undefined, access: Access): string {
  const who =
    access.public === true
      ? 'No token needed.'
      : `Roles: ${access.roles.join(', ')}.${access.roles.includes('customer') ? ' A customer reaches only its own customer record and orders; another’s answers 404.' : ''}`;
  return description ? `${description}\n\n${who}` : who;
}
