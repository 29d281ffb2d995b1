import { Controller, Delete, Param, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Request, Response } from 'express';
import type { CommandAccepted } from '@tandem/contracts';
import { commandOptions, expectedVersion } from '../../http/command-request';
import { parseIdParam, parseSkuParam } from '../../http/path-params';
import { sendCommand } from '../../http/send-command';
import { RemoveOrderLineCommand } from './remove-order-line.command';

@Controller('api/orders')
export class RemoveOrderLineController {
  constructor(private readonly commandBus: CommandBus) {}

  @Delete(':id/lines/:sku')
  removeLine(
    @Param('id') id: string,
    @Param('sku') skuParam: string,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CommandAccepted> {
    const orderId = parseIdParam(id);
    const command = new RemoveOrderLineCommand(
      orderId,
      parseSkuParam(skuParam),
      commandOptions(request, orderId),
      expectedVersion(request),
    );
    return sendCommand(response, () => this.commandBus.execute(command));
  }
}
