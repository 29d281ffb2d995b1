import { NONE, TRANSACTIONAL_ID_AUTHORIZATION_FAILED } from '../protocol/error-codes';
import type { ApiHandler } from './types';

export const initProducerId: ApiHandler = (ctx, r) => {
  const transactionalId = r.nullableString();
  r.int32(); // transaction timeout
  if (transactionalId !== null) {
    // Transactions are out of scope for the dev broker: refuse them plainly instead of half-supporting them.
    ctx.log(
      `refused InitProducerId for transactional id ${JSON.stringify(transactionalId)}: transactions unsupported`,
    );
    return (w) => w.int32(0).int16(TRANSACTIONAL_ID_AUTHORIZATION_FAILED).int64(-1).int16(-1);
  }
  const producerId = ctx.broker.allocateProducerId();
  return (w) => w.int32(0).int16(NONE).int64(producerId).int16(0);
};
