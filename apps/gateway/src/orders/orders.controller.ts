import { Controller, Delete, Get, Post, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CommandRoute, ORDER_ID, QueryRoute } from '../openapi/route-docs';
import { Upstreams } from '../upstream/upstreams';

/** Orders: commands go to the command service, reads to the query service, on the same paths. */
@ApiTags('orders')
@Controller('api/orders')
export class OrdersController {
  constructor(private readonly upstreams: Upstreams) {}

  @Post()
  @CommandRoute({
    operationId: 'createOrder',
    summary: 'Create a draft order for a customer',
    description: "The order takes the customer's currency.",
    body: 'CreateOrderRequest',
    creates: true,
  })
  create(@Req() request: Request, @Res() response: Response): Promise<void> {
    return this.upstreams.command.forward(request, response);
  }

  @Post(':id/lines')
  @CommandRoute({
    operationId: 'addOrderLine',
    summary: 'Add a line to a draft order',
    description:
      'quantity 1 to 1,000,000, unitPrice ≥ 0 in minor units; at most 100 lines per order. A line and the order ' +
      'total may be at most 10^12 major units of the currency (order.amount-too-large, order.total-too-large).',
    params: [ORDER_ID],
    body: 'AddOrderLineRequest',
  })
  addLine(@Req() request: Request, @Res() response: Response): Promise<void> {
    return this.upstreams.command.forward(request, response);
  }

  @Delete(':id/lines/:sku')
  @CommandRoute({
    operationId: 'removeOrderLine',
    summary: 'Remove a line from a draft order',
    params: [ORDER_ID, { name: 'sku', description: 'SKU of the line to remove (URL-encoded)' }],
  })
  removeLine(@Req() request: Request, @Res() response: Response): Promise<void> {
    return this.upstreams.command.forward(request, response);
  }

  @Post(':id/place')
  @CommandRoute({
    operationId: 'placeOrder',
    summary: 'Place a draft order',
    description: "Needs at least one line and a total within the customer's credit limit.",
    params: [ORDER_ID],
  })
  place(@Req() request: Request, @Res() response: Response): Promise<void> {
    return this.upstreams.command.forward(request, response);
  }

  @Post(':id/ship')
  @CommandRoute({ operationId: 'shipOrder', summary: 'Ship a placed order', params: [ORDER_ID] })
  ship(@Req() request: Request, @Res() response: Response): Promise<void> {
    return this.upstreams.command.forward(request, response);
  }

  @Post(':id/cancel')
  @CommandRoute({
    operationId: 'cancelOrder',
    summary: 'Cancel a draft or placed order',
    description: 'A shipped order cannot be cancelled.',
    params: [ORDER_ID],
    body: 'CancelOrderRequest',
  })
  cancel(@Req() request: Request, @Res() response: Response): Promise<void> {
    return this.upstreams.command.forward(request, response);
  }

  @Get(':id')
  @QueryRoute({
    operationId: 'getOrder',
    summary: 'Get an order summary',
    params: [ORDER_ID],
    response: 'OrderSummary',
    conditional: true,
    notFound: true,
  })
  get(@Req() request: Request, @Res() response: Response): Promise<void> {
    return this.upstreams.query.forward(request, response);
  }

  @Get()
  @QueryRoute({
    operationId: 'listOrders',
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
