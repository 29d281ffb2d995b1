import type { EachBatchPayload } from 'kafkajs';

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

/**
 * Runs `work` while heartbeating: kafkajs heartbeats only between batches, so a batch longer than the session
 * timeout (a large catch-up, a slow database) would otherwise get this live member evicted and its batch replayed
 * elsewhere. kafkajs sends at most one heartbeat per heartbeat interval whatever the ticks. A rebalance reported
 * here is left to kafkajs, which learns of it again after the batch and rejoins.
 */
export async function whileHeartbeating<T>(
  payload: EachBatchPayload | undefined,
  heartbeatIntervalMs: number,
  work: () => Promise<T>,
): Promise<T> {
  const timer = setInterval(() => {
    if (payload?.isRunning()) payload.heartbeat().catch(() => undefined);
  }, heartbeatIntervalMs);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}
