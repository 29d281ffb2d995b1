import { applyDecorators } from '@nestjs/common';
import { ApiExtension, ApiHeader, ApiOperation, ApiQuery, ApiResponse } from '@nestjs/swagger';
import type { Access, PathParam } from '@tandem/contracts';
import { schemaRef } from './component-schemas';
import { httpCodes, ProblemCodes } from './problem-responses';
import {
  Access as AccessDocs,
  CORRELATION_HEADER,
  pathParams,
  UPSTREAM_CODES,
  withRoles,
  type QueryParam,
} from './route-docs';

/** The OpenAPI description of the live streams (Server-Sent Events), beside route-docs.ts's other kinds of route. */
export interface LiveRouteDoc {
  operationId: string;
  access: Access;
  summary: string;
  description: string;
  params?: Readonly<Record<string, PathParam>>;
  query?: QueryParam[];
  /** Whether a reconnect with Last-Event-ID resumes after that event (the one-order stream). */
  resumes: boolean;
  notFound?: 'order.not-found';
  /** An example of the stream's text. */
  example: string;
}

/** A live stream (Server-Sent Events): `text/event-stream`, each event's data an `OrderSummary`. */
export function LiveRouteDocs(doc: LiveRouteDoc): MethodDecorator {
  const decorators = [
    ApiOperation({
      operationId: doc.operationId,
      summary: doc.summary,
      description: withRoles(doc.description, doc.access),
    }),
    AccessDocs(doc.access),
    ...pathParams(doc.params ?? {}),
    ...(doc.query ?? []).map((q) =>
      ApiQuery({ name: q.name, description: q.description, required: q.required ?? false, schema: q.schema }),
    ),
    ApiHeader({
      name: 'Last-Event-ID',
      required: false,
      description: doc.resumes
        ? 'The `id` of the last event you got (an order version): the stream resumes after it, so a reconnect ' +
          'misses no change and gets none twice. Browsers’ EventSource sends it by itself when it reconnects.'
        : 'Ignored: this stream does not replay. After a reconnect, read `GET /api/orders` again for what you missed.',
      schema: { type: 'string', example: '3' },
    }),
  ];
  if (doc.resumes) {
    decorators.push(
      ApiHeader({
        name: 'X-Consistency-Token',
        required: false,
        description:
          'The `consistencyToken` of the command that created the order: the stream waits (as a read does) until ' +
          'the order is there before answering, instead of 404.',
        schema: { type: 'string' },
      }),
      ApiHeader({
        name: 'Prefer',
        required: false,
        description: '`wait=N`: with X-Consistency-Token, wait up to N seconds (at most 10) instead of 2.',
        schema: { type: 'string', example: 'wait=5' },
      }),
    );
  }
  decorators.push(
    ApiExtension('x-tandem-event-data', schemaRef('OrderSummary')),
    ApiResponse({
      status: 200,
      description:
        'A stream of Server-Sent Events, open until either side closes it: `event: order`, `data:` the order as ' +
        '`GET /api/orders/{id}` shows it (`OrderSummary`), `id:` ' +
        (doc.resumes ? 'its version' : '`<order id>.<version>`') +
        '; a `: heartbeat` comment on a stream idle for 15 s; `retry:` the reconnection delay.',
      headers: CORRELATION_HEADER,
      content: { 'text/event-stream': { schema: { type: 'string' }, example: doc.example } },
    }),
  );
  const notFound: Record<string, number> = doc.notFound ? { [doc.notFound]: 404 } : {};
  return applyDecorators(
    ...decorators,
    ProblemCodes(httpCodes('request.invalid', 'live.too-many-streams'), notFound, UPSTREAM_CODES),
  );
}
