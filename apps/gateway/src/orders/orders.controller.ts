import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ORDER_ID, READ_ACCESS } from '@tandem/contracts';
import { QueryRoute } from '../openapi/route-docs';
import { Upstreams } from '../upstream/upstreams';

/** Orders' reads, from the query service. Their commands are routed from their table (commands/). */
@ApiTags('orders')
@Controller('api/orders')
export class OrdersController {
  constructor(private readonly upstreams: Upstreams) {}

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
