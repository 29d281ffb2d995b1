import { All, Controller, Get, Req, Res } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { READ_ACCESS } from '@tandem/contracts';
import { schemaRef } from '../openapi/component-schemas';
import { httpCodes, ProblemCodes } from '../openapi/problem-responses';
import { Access, UPSTREAM_CODES } from '../openapi/route-docs';
import { Upstreams } from '../upstream/upstreams';

// The projection service serves its admin routes without the public `/api` prefix.
const PROJECTION_PREFIX = { stripPrefix: '/api' };

/** Operators' view of the projections, forwarded to the projection service under `/admin/projections`. */
@ApiTags('admin')
@Access(READ_ACCESS.projectionAdmin)
@Controller('api/admin/projections')
export class ProjectionsController {
  constructor(private readonly upstreams: Upstreams) {}

  @Get()
  @ApiOperation({
    operationId: 'listProjections',
    summary: 'Status of each projection: state, lag per partition, last event time, dead letters',
    description:
      'Everything under /api/admin/projections/ (rebuilds, dead letters) is forwarded to the projection ' +
      'service as it is; see that service for the operations it offers.',
  })
  @ApiResponse({
    status: 200,
    description: 'One entry per projection',
    content: { 'application/json': { schema: schemaRef('ProjectionStatusList') } },
  })
  // The projection service answers 503 `service.starting` while it loads (its first second or so).
  @ProblemCodes(httpCodes('request.invalid'), { 'service.starting': 503 }, UPSTREAM_CODES)
  list(@Req() request: Request, @Res() response: Response): Promise<void> {
    return this.upstreams.projection.forward(request, response, PROJECTION_PREFIX);
  }

  @All('*path')
  @ApiExcludeEndpoint()
  other(@Req() request: Request, @Res() response: Response): Promise<void> {
    return this.upstreams.projection.forward(request, response, PROJECTION_PREFIX);
  }
}
