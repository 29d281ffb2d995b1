import { READ_ACCESS } from '@tandem/contracts';
import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { QueryRoute } from '../openapi/route-docs';
import { Upstreams } from '../upstream/upstreams';

/** Reports, served by the query service from the daily-sales read model. */
@ApiTags('reports')
@Controller('api/reports')
export class ReportsController {
  constructor(private readonly upstreams: Upstreams) {}

  @Get('daily-sales')
  @QueryRoute({
    operationId: 'getDailySales',
    access: READ_ACCESS.getDailySales,
    summary: 'Daily sales per day and currency: placed, shipped and cancelled counts and totals',
    query: [
      { name: 'from', description: 'First day (inclusive)', schema: { type: 'string', format: 'date' } },
      { name: 'to', description: 'Last day (inclusive)', schema: { type: 'string', format: 'date' } },
    ],
    response: 'DailySalesReport',
  })
  dailySales(@Req() request: Request, @Res() response: Response): Promise<void> {
    return this.upstreams.query.forward(request, response);
  }
}
