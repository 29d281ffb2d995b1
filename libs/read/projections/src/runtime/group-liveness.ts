/**
 * How the broker tells a live member from a dead one. A member that sends no heartbeat for `sessionTimeoutMs` is
 * evicted and its partitions go to the others; `rebalanceTimeoutMs` is how long a rebalance waits for live members
 * to finish their batch and rejoin. See docs/services.md ("Restart after a crash") for the trade-off.
 */
export interface GroupLiveness {
  sessionTimeoutMs: number;
  heartbeatIntervalMs: number;
  rebalanceTimeoutMs: number;
}

export const DEFAULT_GROUP_LIVENESS: GroupLiveness = {
  sessionTimeoutMs: 6_000,
  heartbeatIntervalMs: 1_000,
  rebalanceTimeoutMs: 30_000,
};
