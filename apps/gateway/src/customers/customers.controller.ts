import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CUSTOMER_ID, READ_ACCESS } from '@tandem/contracts';
import { QueryRoute } from '../openapi/route-docs';
import { Upstreams } from '../upstream/upstreams';

/** A customer's read, from the query service. Its commands are routed from their table (commands/). */
@ApiTags('customers')
@Controller('api/customers')
export class CustomersController {
  constructor(private readonly upstreams: Upstreams) {}

  @Get(':id')
  @QueryRoute({
    operationId: 'getCustomer',
    access: READ_ACCESS.getCustomer,
    summary: 'Get a customer with their order counts and lifetime value',
    params: { id: CUSTOMER_ID },
    response: 'Customer',
    conditional: true,
    notFound: 'customer.not-found',
  })
  get(@Req() request: Request, @Res() response: Response): Promise<void> {
    return this.upstreams.query.forward(request, response);
  }
}
