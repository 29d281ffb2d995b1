import { Body, Controller, Param, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Request, Response } from 'express';
import { CancelOrderRequest, type CommandAccepted } from '@tandem/contracts';
import { parseOrThrow } from '@tandem/platform/http';
import { commandOptions, expectedVersion } from '../../http/command-request';
import { parseIdParam } from '../../http/path-params';
import { sendCommand } from '../../http/send-command';
import { CancelOrderCommand } from './cancel-order.command';

@Controller('api/orders')
export class CancelOrderController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post(':id/cancel')
  cancel(
    @Param('id') id: string,
    @Body() body: unknown,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CommandAccepted> {
    const orderId = parseIdParam(id);
    const input = parseOrThrow(CancelOrderRequest, body);
    const command = new CancelOrderCommand(
      orderId,
      input,
      commandOptions(request, orderId),
      expectedVersion(request),
    );
    return sendCommand(response, () => this.commandBus.execute(command));
  }
}
