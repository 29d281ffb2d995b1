export * from './error-codes';
export * from './types';
export { GroupCoordinator, DEFAULT_INITIAL_REBALANCE_DELAY_MS } from './group-coordinator';
export type { GroupState } from './group';
