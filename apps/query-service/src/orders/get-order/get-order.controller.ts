import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { READ_ACCESS } from '@tandem/contracts';
import { parseOrThrow, RouteAccess } from '@tandem/platform/http';
import { ownerScope } from '../../owner-scope';
import { notModified } from '../../etag';
import { ReadFreshness } from '../../freshness/read-freshness';
import { ORDER_READ_SOURCE } from '../order-read-source';
import type { OrderView } from '../order.view';
import { GetOrderQuery } from './get-order.query';

@Controller('api/orders')
@RouteAccess(READ_ACCESS.getOrder)
export class GetOrderController {
  constructor(
    private readonly queryBus: QueryBus,
    private readonly freshness: ReadFreshness,
  ) {}

  @Get(':id')
  async get(
    @Param('id') rawId: string,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<OrderView | undefined> {
    const id = parseOrThrow(z.uuid('must be a UUID'), rawId, 'id');
    await this.freshness.awaitToken(ORDER_READ_SOURCE, request, response);
    await this.freshness.stamp(ORDER_READ_SOURCE, response);
    const order = await this.queryBus.execute(new GetOrderQuery(id, ownerScope(request)));
    if (notModified('order', order.version, request, response)) return undefined;
    return order;
  }
}
