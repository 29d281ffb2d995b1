import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { READ_ACCESS } from '@tandem/contracts';
import { parseOrThrow, RouteAccess } from '@tandem/platform/http';
import { ownerScope } from '../../owner-scope';
import { CUSTOMER_ORDERS_PROJECTION } from '@tandem/read/models';
import { notModified } from '../../etag';
import { ReadFreshness, type ReadSource } from '../../freshness/read-freshness';
import type { CustomerView } from '../customer.view';
import { GetCustomerQuery } from './get-customer.query';

// The customer-orders projection checkpoints both customer streams and order streams (it counts orders).
const SOURCE: ReadSource = { projection: CUSTOMER_ORDERS_PROJECTION, streams: ['customer', 'order'] };

@Controller('api/customers')
@RouteAccess(READ_ACCESS.getCustomer)
export class GetCustomerController {
  constructor(
    private readonly queryBus: QueryBus,
    private readonly freshness: ReadFreshness,
  ) {}

  @Get(':id')
  async get(
    @Param('id') rawId: string,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CustomerView | undefined> {
    const id = parseOrThrow(z.uuid('must be a UUID'), rawId, 'id');
    await this.freshness.awaitToken(SOURCE, request, response);
    await this.freshness.stamp(SOURCE, response);
    const customer = await this.queryBus.execute(new GetCustomerQuery(id, ownerScope(request)));
    // The row also changes with the customer's orders, so its ETag covers the counts as well as the version, and
    // the open orders (another model, on another database).
    const { draft, placed, shipped, cancelled } = customer.orderCounts;
    const open = customer.openOrders ? `.${customer.openOrders.count}.${customer.openOrders.total}` : '';
    const tag = `customer-${draft}.${placed}.${shipped}.${cancelled}${open}`;
    if (notModified(tag, customer.version, request, response)) return undefined;
    return customer;
  }
}
