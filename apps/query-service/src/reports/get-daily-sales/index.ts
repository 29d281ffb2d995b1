import { GetDailySalesController } from './get-daily-sales.controller';
import { GetDailySalesHandler } from './get-daily-sales.handler';

export const GET_DAILY_SALES = { controllers: [GetDailySalesController], handlers: [GetDailySalesHandler] };
