import { z } from 'zod';
import { ORDER_STATUSES, type OrderStatus } from '@tandem/read/models';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** A date (`2026-11-28`, a whole UTC day) or a date-time with offset. `to` of a date covers that whole day. */
function instant(bound: 'from' | 'to') {
  return z
    .string()
    .refine((v) => DATE_ONLY.test(v) || z.iso.datetime({ offset: true }).safeParse(v).success, {
      message: 'must be a date (YYYY-MM-DD) or an ISO 8601 date-time with offset',
    })
    .transform((v, ctx) => {
      const date = new Date(DATE_ONLY.test(v) ? `${v}T00:00:00Z` : v);
      if (Number.isNaN(date.getTime())) {
        ctx.addIssue({ code: 'custom', message: 'is not a real date' });
        return z.NEVER;
      }
      if (bound === 'to' && DATE_ONLY.test(v)) date.setUTCDate(date.getUTCDate() + 1);
      return date;
    });
}

/** `GET /api/orders` query parameters. Unknown parameters are refused, so a typo is not a silently ignored filter. */
export const ListOrdersRequest = z
  .object({
    customerId: z.uuid('must be a UUID').optional(),
    status: z
      .enum(ORDER_STATUSES as [OrderStatus, ...OrderStatus[]], {
        message: `must be one of ${ORDER_STATUSES.join(', ')}`,
      })
      .optional(),
    from: instant('from').optional(),
    to: instant('to').optional(),
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
