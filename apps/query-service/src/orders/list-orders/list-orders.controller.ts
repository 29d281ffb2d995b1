import { Controller, Get, Inject, Query as QueryParams, Req, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import type { Request, Response } from 'express';
import { READ_ACCESS } from '@tandem/contracts';
import { parseOrThrow, RouteAccess } from '@tandem/platform/http';
import { ownerScope } from '../../owner-scope';
import type { OrderListFilter } from '@tandem/read/models';
import { ReadFreshness } from '../../freshness/read-freshness';
import { ORDER_READ_SOURCE } from '../order-read-source';
import type { OrderView } from '../order.view';
import { ListOrdersQuery } from './list-orders.query';
import { ListOrdersRequest, validRange } from './list-orders.request';
import { rejectUnknownParams } from '../../query-params';
import { CURSOR_SECRET, OrderCursorCodec } from './order-cursor';

const DEFAULT_LIMIT = 20;

@Controller('api/orders')
@RouteAccess(READ_ACCESS.listOrders)
export class ListOrdersController {
  private readonly cursors: OrderCursorCodec;

  constructor(
    private readonly queryBus: QueryBus,
    private readonly freshness: ReadFreshness,
    @Inject(CURSOR_SECRET) secret: string,
  ) {
    this.cursors = new OrderCursorCodec(secret);
  }

  @Get()
  async list(
    @QueryParams() params: Record<string, unknown>,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<{ items: OrderView[]; nextCursor: string | null }> {
    rejectUnknownParams(params, Object.keys(ListOrdersRequest.shape));
    const parsed = parseOrThrow(ListOrdersRequest.check(validRange), params);
    // A customer's list holds its own orders only, whatever the filters say; the cursor is bound to that too.
    const owner = ownerScope(request);
    const filter: OrderListFilter = {
      ...(owner === undefined ? {} : { owner }),
      ...(parsed.customerId ? { customerId: parsed.customerId } : {}),
      ...(parsed.status ? { status: parsed.status } : {}),
      ...(parsed.from ? { from: parsed.from } : {}),
      ...(parsed.to ? { to: parsed.to } : {}),
    };
    const after = parsed.cursor ? this.cursors.decode(parsed.cursor, filter) : null;
    await this.freshness.awaitToken(ORDER_READ_SOURCE, request, response);
    await this.freshness.stamp(ORDER_READ_SOURCE, response);
    const page = await this.queryBus.execute(
      new ListOrdersQuery(filter, after, parsed.limit ?? DEFAULT_LIMIT),
    );
    return { items: page.items, nextCursor: page.next ? this.cursors.encode(page.next, filter) : null };
  }
}
