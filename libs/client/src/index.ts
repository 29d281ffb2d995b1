// @tandem/client: a typed client of the Tandem API, generated from the gateway's OpenAPI document.
export {
  createTandemClient,
  TandemClient,
  type CommandStatus,
  type TandemClientOptions,
  type TokenSource,
} from './client';
export { ConsistencyTracker, CONSISTENCY_TOKEN_HEADER } from './consistency';
export { isWorthRetrying, newIdempotencyKey, withIdempotencyKey, type RetryOptions } from './idempotency';
export { watchOrderStream, type OrderSummary, type WatchOrderOptions } from './watch-order';
export { asProblem, isProblem, TandemProblem, type Problem, type ProblemCode } from './problem';
export type { components, operations, paths } from './generated/openapi';
