import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req } from '@nestjs/common';
import type { Request } from 'express';
import { z } from 'zod';
import { READ_ACCESS } from '@tandem/contracts';
import { principalOf, type Principal } from '@tandem/platform/auth';
import { parseOrThrow, problem, ProblemException, RouteAccess } from '@tandem/platform/http';
import { PROJECTION_NAMES, type ProjectionName } from '@tandem/read/models';
import { ProjectionRunner } from '../runtime/projection-runner';
import { AdminAudit } from './admin-audit';

const Name = z.enum(PROJECTION_NAMES as [ProjectionName, ...ProjectionName[]]);
const DeadLetterId = z.string().regex(/^[1-9]\d{0,17}$/, 'must be a dead letter id');
const Limit = z.coerce.number().int().min(1).max(1000).default(100);
const ReplayBody = z
  .object({
    payload: z.unknown().optional().describe('A corrected JSON payload to apply instead of the stored one'),
  })
  .strict()
  .optional();

/**
 * Operators' routes, for `admin` only: the gateway forwards `/api/admin/projections…` here without the `/api`
 * prefix, and this service checks the caller's token itself. Every rebuild and replay is audited (`admin_audit`),
 * refused ones too.
 */
@Controller('admin/projections')
@RouteAccess(READ_ACCESS.projectionAdmin)
export class ProjectionsController {
  private readonly audit: AdminAudit;

  constructor(@Inject(ProjectionRunner) private readonly runner: ProjectionRunner) {
    this.audit = new AdminAudit(() => runner.dataSource);
  }

  /** The audit trail, newest first. */
  @Get('audit')
  async auditTrail(@Query('limit') rawLimit?: string) {
    return { items: await this.audit.recent(parseOrThrow(Limit, rawLimit, 'limit')) };
  }

  @Get()
  async list() {
    return { projections: await this.runner.status() };
  }

  @Get(':name/dead-letters')
  async deadLetters(@Param('name') rawName: string, @Query('limit') rawLimit?: string) {
    const name = this.running(rawName);
    const limit = parseOrThrow(Limit, rawLimit, 'limit');
    return { items: await this.runner.deadLetters(name, limit) };
  }

  @Post(':name/dead-letters/:id/replay')
  @HttpCode(200)
  async replay(
    @Param('name') rawName: string,
    @Param('id') rawId: string,
    @Body() body: unknown,
    @Req() request: Request,
  ) {
    const name = this.running(rawName);
    const id = parseOrThrow(DeadLetterId, rawId, 'id');
    const parsed = parseOrThrow(ReplayBody, body === undefined || isEmptyObject(body) ? undefined : body);
    const corrected = parsed?.payload === undefined ? undefined : JSON.stringify(parsed.payload);
    const outcome = await this.runner.replay(name, id, corrected);
    await this.audit.record(caller(request), {
      action: 'replay',
      projection: name,
      target: id,
      ...(parsed?.payload === undefined ? {} : { detail: { payload: parsed.payload } }),
      outcome:
        outcome.status === 'not-found'
          ? 'dead-letter.not-found'
          : outcome.status === 'failed'
            ? 'dead-letter.still-poison'
            : 'replayed',
    });
    if (outcome.status === 'not-found') {
      throw new ProblemException(
        problem(
          404,
          'dead-letter.not-found',
          'No such dead letter',
          `no pending dead letter ${id} in ${name}`,
        ),
      );
    }
    if (outcome.status === 'failed') {
      throw new ProblemException(
        problem(422, 'dead-letter.still-poison', 'The event still cannot be applied', outcome.error),
      );
    }
    const { applied, parked, duplicates } = outcome.result;
    return { id, status: 'replayed', applied, parked, duplicates };
  }

  /** Rebuilds a read model from offset 0 into new tables and swaps them in; 202 at once, progress in the status. */
  @Post(':name/rebuild')
  @HttpCode(202)
  async rebuild(@Param('name') rawName: string, @Req() request: Request) {
    const name = this.running(rawName);
    const { started, record } = await this.runner.startRebuild(name);
    await this.audit.record(caller(request), {
      action: 'rebuild',
      projection: name,
      outcome: started ? 'started' : 'projection.rebuild-in-progress',
    });
    if (!started || !record) {
      throw new ProblemException(
        problem(
          409,
          'projection.rebuild-in-progress',
          'A rebuild is already running',
          `${name} is being rebuilt${record ? ` (since ${record.startedAt})` : ''}`,
        ),
      );
    }
    return { name, state: 'rebuilding', startedAt: record.startedAt };
  }

  private running(rawName: string): ProjectionName {
    const name = parseOrThrow(Name, rawName, 'name');
    if (!this.runner.names().includes(name)) {
      throw new ProblemException(
        problem(404, 'projection.not-found', 'No such projection', `${name} does not run in this service`),
      );
    }
    return name;
  }
}

function caller(request: Request): Principal {
  const principal = principalOf(request);
  if (principal === undefined) throw new Error('an admin route ran without an authenticated principal');
  return principal;
}

function isEmptyObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && Object.keys(value).length === 0;
}
