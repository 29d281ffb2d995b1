import { encodeConsistencyToken } from '@tandem/contracts';
import { decideOrder, type OrderCommand, type OrderState } from '@tandem/write/domain';
import {
  VersionMismatch,
  type CommandOptions,
  type CommandResponse,
  type CommandTransactions,
  type WriteUnit,
} from '@tandem/write/persistence';

export interface OrderCommandSpec {
  orderId: string;
  options: CommandOptions;
  /** The client's `If-Match`, if any. */
  expectedVersion?: number;
  /** Creations answer 201 with a Location. */
  creates?: boolean;
  /** The domain command, built from the loaded order and whatever else it needs (the customer, for one). */
  command: (state: OrderState | null, unit: WriteUnit) => Promise<OrderCommand> | OrderCommand;
}

/**
 * The thin shell around the event-sourced Order: load its stream, check `If-Match`, decide, append. It runs inside
 * the transaction runner, which re-runs all of it on fresh state when another writer appended first, so a rule is
 * always judged against the version it is appended after.
 */
export function runOrderCommand(
  transactions: CommandTransactions,
  spec: OrderCommandSpec,
): Promise<CommandResponse> {
  const { orderId } = spec;
  return transactions.run({ ...spec.options, aggregateId: orderId }, async (unit) => {
    const state = await unit.orders.load(orderId);
    if (state !== null && spec.expectedVersion !== undefined && spec.expectedVersion !== state.version) {
      throw new VersionMismatch(spec.expectedVersion, state.version);
    }
    const events = decideOrder(await spec.command(state, unit), state);
    const version = await unit.orders.append(orderId, state?.version ?? 0, events);
    return {
      status: spec.creates ? 201 : 200,
      ...(spec.creates ? { location: `/api/orders/${orderId}` } : {}),
      body: {
        id: orderId,
        version,
        consistencyToken: encodeConsistencyToken({ kind: 'order', streamId: orderId, version }),
      },
    };
  });
}
