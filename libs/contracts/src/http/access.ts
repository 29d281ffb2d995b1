/**
 * Who may call a route (ARCHITECTURE decision 11). Every route declares one requirement, next to its route
 * declaration; the gateway and the service that owns the data both enforce it, and the OpenAPI document shows it.
 *
 * Roles come from the access token (a configurable claim). `customer` reaches only its own customer record and
 * orders: the owning service enforces that where the data is, and answers another's data as not found. `staff`
 * reads everything and ships or cancels orders. `admin` operates the projections and nothing else: a token that
 * needs both carries both roles.
 */
export const ROLES = ['customer', 'staff', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export type Access =
  /** Health, the API documents: no token needed. */
  | { readonly public: true }
  /** A valid bearer token with at least one of these roles. */
  | { readonly public?: false; readonly roles: readonly Role[] };

export const PUBLIC: Access = { public: true };

/** A valid token with any of `roles`. */
export function rolesOf(...roles: [Role, ...Role[]]): Access {
  return { roles };
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** The requirement of each read route of the public API, by operationId (the gateway and the query service). */
export const READ_ACCESS = {
  getCustomer: rolesOf('customer', 'staff'),
  getOrder: rolesOf('customer', 'staff'),
  listOrders: rolesOf('customer', 'staff'),
  /** Live updates (Server-Sent Events), authorized as the reads they follow. */
  watchOrder: rolesOf('customer', 'staff'),
  watchOrders: rolesOf('customer', 'staff'),
  getDailySales: rolesOf('staff'),
  /** A command's status: its sender, or staff (anyone else's key answers 404, as an unknown one). */
  getCommandStatus: rolesOf('customer', 'staff'),
  listProjections: rolesOf('admin'),
  projectionAdmin: rolesOf('admin'),
} as const satisfies Record<string, Access>;
