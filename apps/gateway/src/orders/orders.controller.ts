import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ORDER_ID, READ_ACCESS } from '@tandem/contracts';
import { EXAMPLE_IDS } from '../openapi/examples';
import { LiveRouteDocs } from '../openapi/live-route-docs';
import { QueryRoute } from '../openapi/route-docs';
import { Upstreams } from '../upstream/upstreams';
import { LiveRelays } from './live-relays';

const LIVE_EXAMPLE = (id: string) =>
  `retry: 2000\n\nid: ${id}\nevent: order\ndata: {"id":"${EXAMPLE_IDS.order}","customerId":"${EXAMPLE_IDS.customer}",` +
  `"status":"placed","currency":"EUR","lines":[{"sku":"BOOK-1","quantity":2,"unitPrice":1999}],"lineCount":1,` +
  `"total":3998,"version":3,"createdAt":"2026-03-02T09:14:03.120Z","updatedAt":"2026-03-02T09:15:41.877Z",` +
  `"placedAt":"2026-03-02T09:15:41.877Z","shippedAt":null,"cancelledAt":null,"cancelReason":null}\n\n: heartbeat\n\n`;

/** Orders' reads, from the query service. Their commands are routed from their table (commands/). */
@ApiTags('orders')
@Controller('api/orders')
export class OrdersController {
  constructor(
    private readonly upstreams: Upstreams,
    private readonly live: LiveRelays,
  ) {}

  // Before `:id`: `live` is not an order id.
  @Get('live')
  @LiveRouteDocs({
    operationId: 'watchOrders',
    access: READ_ACCESS.watchOrders,
    summary: 'Watch your orders change, live (Server-Sent Events)',
    description:
      'Each change of an order of yours (staff: of anyone, or of one customer with `customerId`) from the moment ' +
      'the stream opens, as the order’s new row. It does not replay: open it, then read `GET /api/orders`, and ' +
      'keep for each order the row with the highest `version`. Intermediate versions committed together may be ' +
      'coalesced into the latest.',
    query: [
      {
        name: 'customerId',
        description: 'Only this customer’s orders (a customer sees only its own whatever this says)',
        schema: { type: 'string', format: 'uuid' },
      },
    ],
    resumes: false,
    example: LIVE_EXAMPLE(`${EXAMPLE_IDS.order}.3`),
  })
  watchAll(@Req() request: Request, @Res() response: Response): Promise<void> {
    this.live.admit(response);
    return this.upstreams.query.stream(request, response);
  }

  @Get(':id/live')
  @LiveRouteDocs({
    operationId: 'watchOrder',
    access: READ_ACCESS.watchOrder,
    summary: 'Watch an order change, live (Server-Sent Events)',
    description:
      'The order now, then again at each new version the read model commits, in version order and never twice ' +
      '(`id:` is the version). Reconnect with `Last-Event-ID` to be replayed every version committed after the ' +
      'last event you got (the read model keeps the last 100 of each order). Versions the projection applied in ' +
      'one transaction were committed as the latest of them, and arrive as that one.',
    params: { id: ORDER_ID },
    resumes: true,
    notFound: 'order.not-found',
    example: LIVE_EXAMPLE('3'),
  })
  watch(@Req() request: Request, @Res() response: Response): Promise<void> {
    this.live.admit(response);
    return this.upstreams.query.stream(request, response);
  }

  @Get(':id')
  @QueryRoute({
    operationId: 'getOrder',
    access: READ_ACCESS.getOrder,
    summary: 'Get an order summary',
    params: { id: ORDER_ID },
    response: 'OrderSummary',
    conditional: true,
    notFound: 'order.not-found',
  })
  get(@Req() request: Request, @Res() response: Response): Promise<void> {
    return this.upstreams.query.forward(request, response);
  }

  @Get()
  @QueryRoute({
    operationId: 'listOrders',
    access: READ_ACCESS.listOrders,
    summary: 'List orders, newest first, a page at a time',
    description:
      'Keyset pagination: pass `nextCursor` of one page as `cursor` to get the next; pages stay stable while ' +
      'orders are being created. Filters combine with AND.',
    query: [
      {
        name: 'customerId',
        description: 'Only this customer’s orders',
        schema: { type: 'string', format: 'uuid' },
      },
      {
        name: 'status',
        description: 'Only orders in this status',
        schema: { type: 'string', enum: ['draft', 'placed', 'shipped', 'cancelled'] },
      },
      {
        name: 'from',
        description: 'Created at or after this instant (ISO 8601)',
        schema: { type: 'string', format: 'date-time' },
      },
      {
        name: 'to',
        description: 'Created before this instant (ISO 8601)',
        schema: { type: 'string', format: 'date-time' },
      },
      { name: 'cursor', description: 'Opaque `nextCursor` of the previous page', schema: { type: 'string' } },
      {
        name: 'limit',
        description: 'Page size, 1 to 100',
        schema: { type: 'integer', minimum: 1, maximum: 100 },
      },
    ],
    response: 'OrderPage',
  })
  list(@Req() request: Request, @Res() response: Response): Promise<void> {
    return this.upstreams.query.forward(request, response);
  }
}
