import { Controller, Get, Inject, Param, Req, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { READ_ACCESS } from '@tandem/contracts';
import { parseOrThrow, RouteAccess } from '@tandem/platform/http';
import { ReadFreshness } from '../freshness/read-freshness';
import { GetOrderQuery } from '../orders/get-order/get-order.query';
import { ORDER_READ_SOURCE } from '../orders/order-read-source';
import { ownerScope } from '../owner-scope';
import { EventStream } from './event-stream';
import { LiveOrderStreams } from './live-order-streams';
import {
  callerOf,
  LIVE_STREAM_LIMITS,
  lastVersionOf,
  type LiveStreamWriteLimits,
} from './live-stream-limits';

/**
 * `GET /api/orders/{id}/live`: the order as Server-Sent Events, one `order` event per version (`id:` the
 * version), from the version after `Last-Event-ID`. Authorized as `GET /api/orders/{id}`: another customer's order,
 * like an unknown one, is a 404 before any stream opens.
 */
@Controller('api/orders')
@RouteAccess(READ_ACCESS.watchOrder)
export class WatchOrderController {
  constructor(
    private readonly queryBus: QueryBus,
    private readonly freshness: ReadFreshness,
    private readonly live: LiveOrderStreams,
    @Inject(LIVE_STREAM_LIMITS) private readonly limits: LiveStreamWriteLimits,
  ) {}

  @Get(':id/live')
  async watch(@Param('id') rawId: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    const id = parseOrThrow(z.uuid('must be a UUID'), rawId, 'id');
    // A token lets a client watch the order it has just created before the projection had it.
    await this.freshness.awaitToken(ORDER_READ_SOURCE, request, response);
    const owner = ownerScope(request);
    await this.queryBus.execute(new GetOrderQuery(id, owner));
    const release = this.live.admit(callerOf(request));
    const stream = new EventStream(response, this.limits, () => this.live.slowClient());
    stream.open();
    const unwatch = this.live.watchOrder(id, stream, lastVersionOf(request.header('last-event-id')));
    response.on('close', () => {
      unwatch();
      release();
    });
  }
}
