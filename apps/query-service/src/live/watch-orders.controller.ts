import { Controller, Get, Inject, Query as QueryParams, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { READ_ACCESS } from '@tandem/contracts';
import { parseOrThrow, RouteAccess } from '@tandem/platform/http';
import { ownerScope } from '../owner-scope';
import { rejectUnknownParams } from '../query-params';
import { EventStream } from './event-stream';
import { LiveOrderStreams, type ListScope } from './live-order-streams';
import { callerOf, LIVE_STREAM_LIMITS, type LiveStreamWriteLimits } from './live-stream-limits';

const WatchOrdersRequest = z.object({ customerId: z.uuid('must be a UUID').optional() });

/**
 * `GET /api/orders/live`: changes of the caller's orders from now on (staff: everyone's, or one customer's with
 * `customerId`), as Server-Sent Events, one `order` event per newer version of an order (`id:` order id and
 * version). It does not replay: a client that reconnects reads `GET /api/orders` again for what it missed.
 */
@Controller('api/orders')
@RouteAccess(READ_ACCESS.watchOrders)
export class WatchOrdersController {
  constructor(
    private readonly live: LiveOrderStreams,
    @Inject(LIVE_STREAM_LIMITS) private readonly limits: LiveStreamWriteLimits,
  ) {}

  @Get('live')
  watch(
    @QueryParams() params: Record<string, unknown>,
    @Req() request: Request,
    @Res() response: Response,
  ): void {
    rejectUnknownParams(params, Object.keys(WatchOrdersRequest.shape));
    const parsed = parseOrThrow(WatchOrdersRequest, params);
    // A customer's stream holds its own orders only, whatever customerId says (as the list does).
    const owner = ownerScope(request);
    const scope: ListScope = {
      ...(owner === undefined ? {} : { owner }),
      ...(parsed.customerId ? { customerId: parsed.customerId } : {}),
    };
    const release = this.live.admit(callerOf(request));
    const stream = new EventStream(response, this.limits, () => this.live.slowClient());
    stream.open();
    const unwatch = this.live.watchList(scope, stream);
    response.on('close', () => {
      unwatch();
      release();
    });
  }
}
