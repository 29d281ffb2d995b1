import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CommandProjections, CommandStatus, CONSISTENCY_TOKEN_HEADER } from '@tandem/contracts';
import { CommandStatusDocs } from '../openapi/route-docs';
import { upstreamPath } from '../upstream/upstream';
import { Upstreams } from '../upstream/upstreams';

/**
 * `GET /api/commands/{idempotencyKey}`: what became of a command, composed here from the two sides. The command
 * service answers from the write DB (rejected, or committed with its events and whether each is on Kafka) and
 * decides who may ask; once every event is published, the query service says how far each projection that consumes
 * them has applied the stream, checking the consistency token the command service issued to this caller. Neither
 * side reads the other's database, and the write side does not call the read side.
 */
@ApiTags('commands')
@Controller('api/commands')
export class CommandStatusController {
  constructor(private readonly upstreams: Upstreams) {}

  @Get(':idempotencyKey')
  @CommandStatusDocs()
  async get(@Req() request: Request, @Res() response: Response): Promise<void> {
    const written = await this.upstreams.command.ask(request, response, upstreamPath(request.originalUrl));
    const parsed = written.status === 200 ? CommandStatus.safeParse(parseJson(written.body)) : undefined;
    if (!parsed?.success) {
      // Its problem (400, 404, …) as it gave it; an answer that is not a status is passed on for what it is.
      this.upstreams.command.relay(written, request, response);
      return;
    }
    const status = parsed.data;
    if (status.status === 'published' && status.answer) {
      const projections = await this.projectionsOf(request, response, status.answer.consistencyToken);
      if (projections) {
        status.projections = projections.projections;
        if (projections.projections.every((p) => p.applied)) status.status = 'projected';
      }
    }
    response.status(200).json(status);
  }

  /**
   * The read side's part, or undefined when it cannot be had (the query service down or refusing): the status then
   * stays `published`, which is true, rather than failing the write side's answer with it.
   */
  private async projectionsOf(
    request: Request,
    response: Response,
    token: string,
  ): Promise<CommandProjections | undefined> {
    try {
      const read = await this.upstreams.query.ask(request, response, '/read-progress', {
        [CONSISTENCY_TOKEN_HEADER]: token,
      });
      if (read.status !== 200) return undefined;
      const parsed = CommandProjections.safeParse(parseJson(read.body));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}
