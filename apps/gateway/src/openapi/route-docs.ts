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
import {
  READ_ACCESS,
  type Access,
  type CommandRoute,
  type PathParam,
  type PathParamKind,
} from '@tandem/contracts';
import { RouteAccess } from '@tandem/platform/http';
import { commandBodyRef, schemaRef, type SchemaName } from './component-schemas';
import { httpCodes, ProblemCodes } from './problem-responses';

/**
 * The OpenAPI description of each kind of route, in one place so that every command route documents the same
 * headers and problems, and every read route the same freshness and consistency behaviour.
 */

export const CORRELATION_HEADER: Record<string, HeaderObject> = {
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

/** What a forwarded route answers when its service does not. */
export const UPSTREAM_CODES = httpCodes('upstream.unavailable', 'upstream.timeout');

/** What every command route's HTTP layer answers: its body, key and retries. */
const COMMAND_CODES = httpCodes(
  'request.invalid',
  'request.malformed-json',
  'request.json-too-deep',
  'request.malformed-encoding',
  'request.too-large',
  'request.unsupported-media-type',
  'request.unsupported-encoding',
  'concurrency.conflict',
  'idempotency.key-reused',
);

/** The security scheme every protected operation names (OpenAPI `components.securitySchemes`). */
export const BEARER_SCHEME = 'bearer';

/**
 * Who may call a route, declared once: enforced by the access guard (here and in the owning service) and shown in
 * the OpenAPI document (`security`, the roles in `x-tandem-roles` and the description; the 401, 403 and 503 answers
 * follow from `security`, see problem-responses.ts).
 */
export function Access(access: Access): MethodDecorator & ClassDecorator {
  if (access.public === true) return RouteAccess(access);
  return applyDecorators(
    RouteAccess(access),
    ApiBearerAuth(BEARER_SCHEME),
    ApiExtension('x-tandem-roles', [...access.roles]),
  );
}

const PARAM_SCHEMAS: Record<PathParamKind, SchemaObject> = {
  uuid: { type: 'string', format: 'uuid' },
  sku: { type: 'string' },
};

export function pathParams(params: Readonly<Record<string, PathParam>>) {
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
  const preconditions = actsOnExisting ? httpCodes('precondition.version-mismatch') : {};
  return applyDecorators(
    ...decorators,
    ProblemCodes(COMMAND_CODES, preconditions, route.rejects, UPSTREAM_CODES),
  );
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
  /** The code a missing (or another customer's) resource answers, 404. */
  notFound?: 'order.not-found' | 'customer.not-found';
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
  const notFound = doc.notFound ? { [doc.notFound]: 404 } : {};
  return applyDecorators(...decorators, ProblemCodes(httpCodes('request.invalid'), notFound, UPSTREAM_CODES));
}

/** The route's description, then who may call it, in words. */
export function withRoles(description: string | undefined, access: Access): string {
  const who =
    access.public === true
      ? 'No token needed.'
      : `Roles: ${access.roles.join(', ')}.${access.roles.includes('customer') ? ' A customer reaches only its own customer record and orders; another’s answers 404.' : ''}`;
  return description ? `${description}\n\n${who}` : who;
}

/**
 * `GET /api/commands/{idempotencyKey}`: what became of a command. Its sender or staff; anyone else's key answers
 * 404 as an unknown one does.
 */
export function CommandStatusDocs(): MethodDecorator {
  return applyDecorators(
    ApiOperation({
      operationId: 'getCommandStatus',
      summary: 'What became of a command sent with an Idempotency-Key',
      description: withRoles(
        'The stages of a command, from the write DB and the read side: `rejected` (with the problem it was ' +
          'answered), `committed` (its events are written: stream, versions, types, time), `published` (every event ' +
          'is on Kafka) and `projected` (every projection that consumes them has applied them, each with its ' +
          'version). After a timeout or a lost connection, ask here before deciding to retry: 404 means the command ' +
          'was not recorded (retry it with the same key and body), `rejected` shows the problem (a retry with the ' +
          'same key is judged again), anything else means it was applied (`answer` holds its answer, with a ' +
          'consistency token for your next read). Only the caller that sent the command, or staff, may ask.',
        READ_ACCESS.getCommandStatus,
      ),
    }),
    Access(READ_ACCESS.getCommandStatus),
    ApiParam({
      name: 'idempotencyKey',
      description: 'The Idempotency-Key the command was sent with (URL-encoded)',
      schema: { type: 'string', minLength: 1, maxLength: 255 },
    }),
    ApiResponse({
      status: 200,
      description: 'The command’s stage, and what each side knows of it.',
      headers: CORRELATION_HEADER,
      content: { 'application/json': { schema: schemaRef('CommandStatus') } },
    }),
    ProblemCodes(httpCodes('request.invalid', 'command.not-found'), UPSTREAM_CODES),
  );
}
