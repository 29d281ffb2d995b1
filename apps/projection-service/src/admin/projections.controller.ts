import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { z } from 'zod';
import { parseOrThrow, problem, ProblemException } from '@tandem/platform/http';
import { PROJECTION_NAMES, type ProjectionName } from '@tandem/read/models';
import { ProjectionRunner } from '../runtime/projection-runner';

const Name = z.enum(PROJECTION_NAMES as [ProjectionName, ...ProjectionName[]]);
const DeadLetterId = z.string().regex(/^[1-9]\d{0,17}$/, 'must be a dead letter id');
const Limit = z.coerce.number().int().min(1).max(1000).default(100);
const ReplayBody = z
  .object({
    payload: z.unknown().optional().describe('A corrected JSON payload to apply instead of the stored one'),
  })
  .strict()
  .optional();

/** Operators' routes: the gateway forwards `/api/admin/projections…` here without the `/api` prefix. */
@Controller('admin/projections')
export class ProjectionsController {
  constructor(@Inject(ProjectionRunner) private readonly runner: ProjectionRunner) {}

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
  async replay(@Param('name') rawName: string, @Param('id') rawId: string, @Body() body: unknown) {
    const name = this.running(rawName);
    const id = parseOrThrow(DeadLetterId, rawId, 'id');
    const parsed = parseOrThrow(ReplayBody, body === undefined || isEmptyObject(body) ? undefined : body);
    const corrected = parsed?.payload === undefined ? undefined : JSON.stringify(parsed.payload);
    const outcome = await this.runner.replay(name, id, corrected);
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
  async rebuild(@Param('name') rawName: string) {
    const name = this.running(rawName);
    const { started, record } = await this.runner.startRebuild(name);
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

function isEmptyObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && Object.keys(value).length === 0;
}
