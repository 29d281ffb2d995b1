import { z } from 'zod';
import { ORDER_STATUSES, type OrderStatus } from '@tandem/read/models';
import { instantBound } from '../../query-params';

/** `GET /api/orders` query parameters. Unknown parameters are refused, so a typo is not a silently ignored filter. */
export const ListOrdersRequest = z
  .object({
    customerId: z.uuid('must be a UUID').optional(),
    status: z
      .enum(ORDER_STATUSES as [OrderStatus, ...OrderStatus[]], {
        message: `must be one of ${ORDER_STATUSES.join(', ')}`,
      })
      .optional(),
    from: instantBound('from').optional(),
    to: instantBound('to').optional(),
    cursor: z.string().min(1, 'must not be empty').optional(),
    limit: z
      .string()
      .regex(/^-?\d+$/, 'must be a whole number from 1 to 100')
      .transform(Number)
      .pipe(z.number().int().min(1, 'must be at least 1').max(100, 'must be at most 100'))
      .optional(),
  })
  .strict();

export const validRange = z.superRefine((request: z.infer<typeof ListOrdersRequest>, ctx) => {
  if (request.from && request.to && request.from >= request.to) {
    ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be after from' });
  }
});
