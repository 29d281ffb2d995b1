import { Controller, Get, Query as QueryParams, Req, Res } from '@nestjs/common';
import { READ_ACCESS } from '@tandem/contracts';
import { QueryBus } from '@nestjs/cqrs';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { parseOrThrow, RouteAccess } from '@tandem/platform/http';
import { DAILY_SALES_PROJECTION } from '@tandem/read/models';
import { CalendarDay, rejectUnknownParams } from '../../query-params';
import { ReadFreshness, type ReadSource } from '../../freshness/read-freshness';
import { GetDailySalesQuery, type DailySalesRowView } from './get-daily-sales.query';

const SOURCE: ReadSource = { projection: DAILY_SALES_PROJECTION, streams: ['order'] };
const MAX_DAYS = 366;

const DailySalesRequest = z
  .object({ from: CalendarDay, to: CalendarDay })
  .strict()
  .superRefine(({ from, to }, ctx) => {
    const days = (Date.parse(to) - Date.parse(from)) / 86_400_000;
    if (days < 0) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from' });
    else if (days >= MAX_DAYS) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: `the range may span at most ${MAX_DAYS} days` });
    }
  });

@Controller('api/reports')
@RouteAccess(READ_ACCESS.getDailySales)
export class GetDailySalesController {
  constructor(
    private readonly queryBus: QueryBus,
    private readonly freshness: ReadFreshness,
  ) {}

  @Get('daily-sales')
  async get(
    @QueryParams() params: Record<string, unknown>,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<{ items: DailySalesRowView[] }> {
    rejectUnknownParams(params, ['from', 'to']);
    const { from, to } = parseOrThrow(DailySalesRequest, params);
    await this.freshness.awaitToken(SOURCE, request, response);
    await this.freshness.stamp(SOURCE, response);
    return { items: await this.queryBus.execute(new GetDailySalesQuery(from, to)) };
  }
}
