import {
  ILLEGAL_GENERATION,
  NONE,
  OFFSET_METADATA_TOO_LARGE,
  REBALANCE_IN_PROGRESS,
  UNKNOWN_MEMBER_ID,
  UNKNOWN_SERVER_ERROR,
} from './error-codes';
import {
  MemoryOffsetStore,
  advance,
  joinRequest,
  obtainMemberId,
  stableGroup,
  startCoordinator,
  type Harness,
} from './test/harness';
import type { OffsetCommitRequest } from './types';

function commit(
  h: Harness,
  groupId: string,
  generationId: number,
  memberId: string,
  offsets: Array<[topic: string, partition: number, offset: bigint, metadata?: string | null]>,
): number[] {
  const topics: OffsetCommitRequest['topics'] = [];
  for (const [topic, partitionIndex, committedOffset, metadata = null] of offsets) {
    let t = topics.find((x) => x.name === topic);
    if (!t) {
      t = { name: topic, partitions: [] };
      topics.push(t);
    }
    t.partitions.push({ partitionIndex, committedOffset, committedMetadata: metadata });
  }
  const res = h.coordinator.commitOffsets({ groupId, generationId, memberId, topics });
  return res.topics.flatMap((t) => t.partitions.map((p) => p.errorCode));
}

function fetchOne(h: Harness, groupId: string, topic: string, partition: number) {
  const res = h.coordinator.fetchOffsets({
    groupId,
    topics: [{ name: topic, partitionIndexes: [partition] }],
  });
  expect(res.errorCode).toBe(NONE);
  return res.topics[0].partitions[0];
}

describe('GroupCoordinator offsets', () => {
  let h: Harness;

  beforeEach(async () => {
    jest.useFakeTimers();
    h = await startCoordinator({ initialRebalanceDelayMs: 50 });
  });

  afterEach(() => {
    h.coordinator.close();
    jest.useRealTimers();
  });

  it('accepts commits without a generation for a group nobody manages, negative offsets included', () => {
    expect(
      commit(h, 'simple', -1, '', [
        ['t', 0, 42n, 'hello'],
        ['t', 1, -1n],
        ['u', 0, -2n],
      ]),
    ).toEqual([NONE, NONE, NONE]);
    expect(fetchOne(h, 'simple', 't', 0)).toEqual({
      partitionIndex: 0,
      committedOffset: 42n,
      metadata: 'hello',
      errorCode: NONE,
    });
    expect(fetchOne(h, 'simple', 't', 1).committedOffset).toBe(-1n);
    expect(fetchOne(h, 'simple', 'u', 0).committedOffset).toBe(-2n);
    // Null metadata is kept as "", as Kafka does.
    expect(fetchOne(h, 'simple', 't', 1).metadata).toBe('');
    expect(h.store.saves).toEqual([
      { groupId: 'simple', topic: 't', partition: 0, offset: 42n, metadata: 'hello' },
      { groupId: 'simple', topic: 't', partition: 1, offset: -1n, metadata: '' },
      { groupId: 'simple', topic: 'u', partition: 0, offset: -2n, metadata: '' },
    ]);
    expect(h.coordinator.describeGroups(['simple'])[0].groupState).toBe('Empty');
  });

  it('refuses a generation for a group that does not exist', () => {
    expect(commit(h, 'ghost', 3, 'someone', [['t', 0, 1n]])).toEqual([ILLEGAL_GENERATION]);
    expect(h.store.saves).toEqual([]);
    expect(h.coordinator.listGroups()).toEqual([]);
  });

  it('checks membership and generation once the group has members', async () => {
    const { memberIds } = await stableGroup(h.coordinator, 2);
    const [a, b] = memberIds;
    expect(commit(h, 'g', -1, '', [['t', 0, 1n]])).toEqual([UNKNOWN_MEMBER_ID]);
    expect(commit(h, 'g', 1, 'stranger', [['t', 0, 1n]])).toEqual([UNKNOWN_MEMBER_ID]);
    expect(commit(h, 'g', 0, a, [['t', 0, 1n]])).toEqual([ILLEGAL_GENERATION]);
    expect(
      commit(h, 'g', 1, a, [
        ['t', 0, 10n],
        ['t', 1, 11n],
      ]),
    ).toEqual([NONE, NONE]);
    expect(h.store.saves).toHaveLength(2);

    // PreparingRebalance: members of the current generation may still commit what they processed.
    h.coordinator.leaveGroup({ groupId: 'g', memberId: b });
    expect(commit(h, 'g', 1, a, [['t', 0, 12n]])).toEqual([NONE]);
    expect(commit(h, 'g', 1, b, [['t', 0, 13n]])).toEqual([UNKNOWN_MEMBER_ID]);

    // CompletingRebalance: the member has a generation but no assignment yet.
    const rejoin = await h.coordinator.joinGroup(joinRequest({ memberId: a }));
    expect(rejoin.generationId).toBe(2);
    expect(commit(h, 'g', 2, a, [['t', 0, 14n]])).toEqual([REBALANCE_IN_PROGRESS]);
    expect(commit(h, 'g', 1, a, [['t', 0, 14n]])).toEqual([ILLEGAL_GENERATION]);
    expect(fetchOne(h, 'g', 't', 0).committedOffset).toBe(12n);
  });

  it('allows commits without a generation again once the group is Empty', async () => {
    const { memberIds } = await stableGroup(h.coordinator, 1);
    h.coordinator.leaveGroup({ groupId: 'g', memberId: memberIds[0] });
    expect(h.coordinator.describeGroups(['g'])[0].groupState).toBe('Empty');
    expect(commit(h, 'g', -1, '', [['t', 0, -2n]])).toEqual([NONE]);
    expect(commit(h, 'g', 1, memberIds[0], [['t', 0, 7n]])).toEqual([UNKNOWN_MEMBER_ID]);
    expect(fetchOne(h, 'g', 't', 0).committedOffset).toBe(-2n);
  });

  it('keeps the session of a committing member alive', async () => {
    const { memberIds } = await stableGroup(h.coordinator, 1);
    for (let i = 0; i < 3; i++) {
      await advance(800);
      expect(commit(h, 'g', 1, memberIds[0], [['t', 0, BigInt(i)]])).toEqual([NONE]);
    }
    expect(h.coordinator.describeGroups(['g'])[0].groupState).toBe('Stable');
  });

  it('refuses oversized metadata per partition and reports a failing store', () => {
    const big = 'x'.repeat(4097);
    expect(
      commit(h, 's', -1, '', [
        ['t', 0, 1n, big],
        ['t', 1, 2n, 'x'.repeat(4096)],
      ]),
    ).toEqual([OFFSET_METADATA_TOO_LARGE, NONE]);
    expect(fetchOne(h, 's', 't', 0).committedOffset).toBe(-1n);

    jest.spyOn(h.store, 'save').mockImplementation(() => {
      throw new Error('disk full');
    });
    expect(commit(h, 's', -1, '', [['t', 1, 3n]])).toEqual([UNKNOWN_SERVER_ERROR]);
    expect(fetchOne(h, 's', 't', 1).committedOffset).toBe(2n);
    expect(h.logs.some((l) => l.includes('disk full'))).toBe(true);
  });

  it('answers -1 and "" for partitions and groups without commits', () => {
    expect(fetchOne(h, 'nobody', 't', 0)).toEqual({
      partitionIndex: 0,
      committedOffset: -1n,
      metadata: '',
      errorCode: NONE,
    });
    expect(h.coordinator.fetchOffsets({ groupId: 'nobody', topics: null })).toEqual({
      errorCode: NONE,
      topics: [],
    });
  });

  it('returns every committed partition when no topics are named', () => {
    commit(h, 's', -1, '', [
      ['zeta', 1, 5n],
      ['alpha', 2, 6n],
      ['zeta', 0, 4n],
    ]);
    commit(h, 'other', -1, '', [['alpha', 0, 99n]]);
    expect(h.coordinator.fetchOffsets({ groupId: 's', topics: null })).toEqual({
      errorCode: NONE,
      topics: [
        {
          name: 'alpha',
          partitions: [{ partitionIndex: 2, committedOffset: 6n, metadata: '', errorCode: NONE }],
        },
        {
          name: 'zeta',
          partitions: [
            { partitionIndex: 0, committedOffset: 4n, metadata: '', errorCode: NONE },
            { partitionIndex: 1, committedOffset: 5n, metadata: '', errorCode: NONE },
          ],
        },
      ],
    });
  });

  it('serves offsets saved by an earlier coordinator over the same store', async () => {
    const store = new MemoryOffsetStore();
    const first = await startCoordinator({}, store);
    const memberId = await obtainMemberId(first.coordinator);
    const join = await first.coordinator.joinGroup(joinRequest({ memberId }));
    await first.coordinator.syncGroup({
      groupId: 'g',
      generationId: join.generationId,
      memberId,
      groupInstanceId: null,
      assignments: [],
    });
    expect(
      commit(first, 'g', join.generationId, memberId, [
        ['t', 0, 100n, 'm'],
        ['t', 3, -1n],
      ]),
    ).toEqual([NONE, NONE]);
    first.coordinator.close();

    const second = await startCoordinator({}, store);
    try {
      expect(fetchOne(second, 'g', 't', 0)).toEqual({
        partitionIndex: 0,
        committedOffset: 100n,
        metadata: 'm',
        errorCode: NONE,
      });
      expect(fetchOne(second, 'g', 't', 3).committedOffset).toBe(-1n);
      expect(second.coordinator.listGroups()).toEqual([
        { groupId: 'g', protocolType: '', groupState: 'Empty' },
      ]);
      // The old member is gone with the old coordinator, so the group takes generation-less commits again.
      expect(commit(second, 'g', -1, '', [['t', 0, 0n]])).toEqual([NONE]);
    } finally {
      second.coordinator.close();
    }
  });
});
