import { ORDER_COMMANDS } from '@tandem/contracts';
import type { OrderCommand, OrderState } from '@tandem/write/domain';
import { seesAll } from '@tandem/platform/auth';
import type { CommandBindings } from '../commands/command-input';

/**
 * The write-side half of each order command of libs/contracts (`ORDER_COMMANDS`: route, docs, body, events): the
 * domain command it becomes, built inside the transaction from the request and what the unit loads.
 */
export const ORDER_BINDINGS: CommandBindings<typeof ORDER_COMMANDS, OrderState, OrderCommand> = {
  CreateOrder: {
    // A customer orders only for itself: another's customer record is as unknown to it as a missing one.
    toDomainCommand: async ({ id, body, principal }, _state, { customers }) => {
      const customer = await customers.load(body.customerId);
      const reachable = !principal || seesAll(principal) || customer?.ownerSubject === principal.subject;
      return {
        type: 'CreateOrder',
        orderId: id,
        customerId: body.customerId,
        customer: reachable ? customer : null,
      };
    },
  },

  AddOrderLine: {
    toDomainCommand: ({ id, body }) => ({ type: 'AddOrderLine', orderId: id, ...body }),
  },

  RemoveOrderLine: {
    toDomainCommand: ({ id, params }) => ({ type: 'RemoveOrderLine', orderId: id, sku: params.sku }),
  },

  PlaceOrder: {
    // The credit limit is read in the same transaction as the order, so the order is placed against the limit
    // as it stands at that moment.
    toDomainCommand: async ({ id }, state, { customers }) => {
      const customer = state === null ? null : await customers.load(state.customerId);
      return { type: 'PlaceOrder', orderId: id, customerCreditLimit: customer?.creditLimit ?? 0 };
    },
  },

  ShipOrder: {
    toDomainCommand: ({ id }) => ({ type: 'ShipOrder', orderId: id }),
  },

  CancelOrder: {
    toDomainCommand: ({ id, body }) => ({ type: 'CancelOrder', orderId: id, reason: body.reason }),
  },
};
