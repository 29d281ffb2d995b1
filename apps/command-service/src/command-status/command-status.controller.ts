import { Controller, Get, Inject, Param, Req } from '@nestjs/common';
import type { Request } from 'express';
import { READ_ACCESS, type CommandStatus } from '@tandem/contracts';
import { principalOf, seesAll, type ConsistencyTokens } from '@tandem/platform/auth';
import { problemException, RouteAccess, validationProblem } from '@tandem/platform/http';
import type { CommandRecords } from '@tandem/write/persistence';
import { CONSISTENCY_TOKENS } from '../commands/aggregate-command';
import { IDEMPOTENCY_KEY } from '../http/command-request';
import { writeSideStatus } from './command-status';
import { COMMAND_RECORDS } from './rejection-recorder';

/**
 * `GET /api/commands/{idempotencyKey}`, the write side's part: what the write DB knows of the command sent with
 * that key. Only its sender (the token subject stored with it) or staff may ask; anyone else is answered as for an
 * unknown key, 404, so that a key's existence is not revealed. The gateway adds the projections' part.
 */
@Controller('api/commands')
@RouteAccess(READ_ACCESS.getCommandStatus)
export class CommandStatusController {
  constructor(
    @Inject(COMMAND_RECORDS) private readonly records: CommandRecords,
    @Inject(CONSISTENCY_TOKENS) private readonly tokens: ConsistencyTokens,
  ) {}

  @Get(':key')
  async get(@Param('key') key: string, @Req() request: Request): Promise<CommandStatus> {
    if (!IDEMPOTENCY_KEY.test(key)) {
      throw validationProblem([
        { field: 'idempotencyKey', message: 'must be 1 to 255 visible ASCII characters' },
      ]);
    }
    const principal = principalOf(request);
    const record = await this.records.find(key);
    const sender = record && ('accepted' in record ? record.accepted.issuedBy : record.rejected.issuedBy);
    if (record === null || principal === undefined || (!seesAll(principal) && sender !== principal.subject)) {
      throw problemException(
        'command.not-found',
        'No command was recorded under this Idempotency-Key for you.',
        {
          idempotencyKey: key,
        },
      );
    }
    return writeSideStatus(key, record, (token) => this.tokens.issue(token, principal.subject));
  }
}
