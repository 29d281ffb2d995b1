import { Body, Controller, Param, Put, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Request, Response } from 'express';
import { ChangeCreditLimitRequest, type CommandAccepted } from '@tandem/contracts';
import { parseOrThrow } from '@tandem/platform/http';
import { commandOptions, expectedVersion } from '../../http/command-request';
import { parseIdParam } from '../../http/path-params';
import { sendCommand } from '../../http/send-command';
import { ChangeCreditLimitCommand } from './change-credit-limit.command';

@Controller('api/customers')
export class ChangeCreditLimitController {
  constructor(private readonly commandBus: CommandBus) {}

  @Put(':id/credit-limit')
  change(
    @Param('id') id: string,
    @Body() body: unknown,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CommandAccepted> {
    const customerId = parseIdParam(id);
    const input = parseOrThrow(ChangeCreditLimitRequest, body);
    const command = new ChangeCreditLimitCommand(
      customerId,
      input,
      commandOptions(request),
      expectedVersion(request),
    );
    return sendCommand(response, () => this.commandBus.execute(command));
  }
}
