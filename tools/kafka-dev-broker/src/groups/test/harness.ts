import { GroupCoordinator } from '../group-coordinator';
import type { GroupCoordinatorOptions, JoinGroupRequest, JoinGroupResponse, OffsetStore } from '../types';

export interface StoredOffset {
  groupId: string;
  topic: string;
  partition: number;
  offset: bigint;
  metadata: string | null;
}

/** Stands in for the broker's memory and data-dir stores: last write per partition wins. */
export class MemoryOffsetStore implements OffsetStore {
  readonly saves: StoredOffset[] = [];
  private readonly rows = new Map<string, StoredOffset>();

  async load(): Promise<StoredOffset[]> {
    return [...this.rows.values()];
  }

  save(groupId: string, topic: string, partition: number, offset: bigint, metadata: string | null): void {
    const row = { groupId, topic, partition, offset, metadata };
    this.saves.push(row);
    this.rows.set(`${groupId}\u0000${topic}\u0000${partition}`, row);
  }
}

export interface Harness {
  coordinator: GroupCoordinator;
  store: MemoryOffsetStore;
  logs: string[];
}

export async function startCoordinator(
  opts: Partial<GroupCoordinatorOptions> = {},
  store = new MemoryOffsetStore(),
): Promise<Harness> {
  const logs: string[] = [];
  const coordinator = new GroupCoordinator({
    initialRebalanceDelayMs: 0,
    minSessionTimeoutMs: 10,
    log: (line) => logs.push(line),
    ...opts,
    offsetStore: store,
  });
  await coordinator.init();
  return { coordinator, store, logs };
}

export function joinRequest(overrides: Partial<JoinGroupRequest> = {}): JoinGroupRequest {
  return {
    apiVersion: 5,
    groupId: 'g',
    sessionTimeoutMs: 1000,
    rebalanceTimeoutMs: 2000,
    memberId: '',
    groupInstanceId: null,
    protocolType: 'consumer',
    protocols: [{ name: 'range', metadata: Buffer.from('meta') }],
    clientId: 'client',
    clientHost: '/127.0.0.1',
    ...overrides,
  };
}

/** First half of the KIP-394 handshake: ask with no member id, get one back with error 79. */
export async function obtainMemberId(
  coordinator: GroupCoordinator,
  overrides: Partial<JoinGroupRequest> = {},
): Promise<string> {
  const res = await coordinator.joinGroup(joinRequest({ ...overrides, memberId: '' }));
  if (res.errorCode !== 79) throw new Error(`expected MEMBER_ID_REQUIRED, got ${res.errorCode}`);
  return res.memberId;
}

export interface Tracked<T> {
  readonly settled: boolean;
  readonly value: T;
}

/** Lets a test look at a parked JoinGroup/SyncGroup without awaiting it. */
export function track<T>(promise: Promise<T>): Tracked<T> {
  let settled = false;
  let value: T | undefined;
  void promise.then((v) => {
    settled = true;
    value = v;
  });
  return {
    get settled() {
      return settled;
    },
    get value(): T {
      if (!settled) throw new Error('promise has not settled');
      return value as T;
    },
  };
}

/** Runs due fake timers and the promise callbacks they trigger. */
export async function advance(ms: number): Promise<void> {
  await jest.advanceTimersByTimeAsync(ms);
}

/**
 * Joins `count` members (each with its own client id) in one generation and completes the sync. Needs an
 * initial rebalance delay so that the members share the first generation.
 */
export async function stableGroup(
  coordinator: GroupCoordinator,
  count: number,
  overrides: Partial<JoinGroupRequest> = {},
): Promise<{ memberIds: string[]; generationId: number; leader: string }> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++)
    ids.push(await obtainMemberId(coordinator, { clientId: `c${i}`, ...overrides }));
  const joins = ids.map((memberId, i) =>
    track(coordinator.joinGroup(joinRequest({ clientId: `c${i}`, ...overrides, memberId }))),
  );
  for (let waited = 0; !joins.every((j) => j.settled); waited += 10) {
    if (waited > 10_000) throw new Error('members did not get a generation');
    await advance(10);
  }
  const responses: JoinGroupResponse[] = joins.map((j) => j.value);
  const { generationId, leader } = responses[0];
  if (responses.some((r) => r.errorCode !== 0 || r.generationId !== generationId)) {
    throw new Error(`members did not share one generation: ${JSON.stringify(responses)}`);
  }
  const groupId = overrides.groupId ?? 'g';
  const syncs = ids.map((memberId) =>
    coordinator.syncGroup({
      groupId,
      generationId,
      memberId,
      groupInstanceId: null,
      assignments:
        memberId === leader
          ? ids.map((id) => ({ memberId: id, assignment: Buffer.from(`assignment-of-${id}`) }))
          : [],
    }),
  );
  await Promise.all(syncs);
  return { memberIds: ids, generationId, leader };
}
