import { Module } from '@nestjs/common';
import { Invoices } from './invoices';
import { OrderEventsController } from './order-events.controller';

@Module({ controllers: [OrderEventsController], providers: [Invoices] })
export class BillingModule {}
