import {
  COORDINATOR_LOAD_IN_PROGRESS,
  COORDINATOR_NOT_AVAILABLE,
  ILLEGAL_GENERATION,
  INCONSISTENT_GROUP_PROTOCOL,
  INVALID_SESSION_TIMEOUT,
  MEMBER_ID_REQUIRED,
  NONE,
  REBALANCE_IN_PROGRESS,
  UNKNOWN_MEMBER_ID,
} from './error-codes';
import { GroupCoordinator } from './group-coordinator';
import {
  MemoryOffsetStore,
  advance,
  joinRequest,
  obtainMemberId,
  stableGroup,
  startCoordinator,
  track,
  type Harness,
} from './test/harness';

const stateOf = (h: Harness, groupId = 'g'): string => h.coordinator.describeGroups([groupId])[0].groupState;
const heartbeat = (h: Harness, memberId: string, generationId: number, groupId = 'g'): number =>
  h.coordinator.heartbeat({ groupId, generationId, memberId, groupInstanceId: null }).errorCode;
const sync = (h: Harness, memberId: string, generationId: number, assignments: Record<string, string> = {}) =>
  h.coordinator.syncGroup({
    groupId: 'g',
    generationId,
    memberId,
    groupInstanceId: null,
    assignments: Object.entries(assignments).map(([id, a]) => ({ memberId: id, assignment: Buffer.from(a) })),
  });

describe('GroupCoordinator membership', () => {
  let h: Harness;

  beforeEach(() => {
    jest.useFakeTimers();
  });

  afterEach(() => {
    h.coordinator.close();
    expect(jest.getTimerCount()).toBe(0);
    jest.useRealTimers();
  });

  describe('a single member', () => {
    beforeEach(async () => {
      h = await startCoordinator();
    });

    it('joins, syncs and heartbeats through a whole generation', async () => {
      const first = await h.coordinator.joinGroup(joinRequest({ clientId: 'svc' }));
      expect(first.errorCode).toBe(MEMBER_ID_REQUIRED);
      expect(first.memberId).toMatch(/^svc-[0-9a-f-]{36}$/);
      expect(first.generationId).toBe(-1);
      expect(stateOf(h)).toBe('Empty');

      const join = await h.coordinator.joinGroup(joinRequest({ clientId: 'svc', memberId: first.memberId }));
      expect(join).toEqual({
        errorCode: NONE,
        generationId: 1,
        protocolName: 'range',
        leader: first.memberId,
        memberId: first.memberId,
        members: [{ memberId: first.memberId, groupInstanceId: null, metadata: Buffer.from('meta') }],
      });
      expect(stateOf(h)).toBe('CompletingRebalance');
      expect(heartbeat(h, first.memberId, 1)).toBe(NONE);

      const synced = await sync(h, first.memberId, 1, { [first.memberId]: 'mine' });
      expect(synced).toEqual({ errorCode: NONE, assignment: Buffer.from('mine') });
      expect(stateOf(h)).toBe('Stable');

      expect(heartbeat(h, first.memberId, 1)).toBe(NONE);
      expect(heartbeat(h, first.memberId, 0)).toBe(ILLEGAL_GENERATION);
      expect(heartbeat(h, 'nobody', 1)).toBe(UNKNOWN_MEMBER_ID);
      expect(heartbeat(h, first.memberId, 1, 'other-group')).toBe(UNKNOWN_MEMBER_ID);

      const again = await sync(h, first.memberId, 1);
      expect(again).toEqual({ errorCode: NONE, assignment: Buffer.from('mine') });
    });

    it('gives JoinGroup v0-v3 clients an id straight away', async () => {
      const join = await h.coordinator.joinGroup(joinRequest({ apiVersion: 3, clientId: 'old' }));
      expect(join.errorCode).toBe(NONE);
      expect(join.memberId).toMatch(/^old-/);
      expect(join.generationId).toBe(1);
      expect(join.leader).toBe(join.memberId);
    });

    it('does not ask static members (group.instance.id) to come back with an id', async () => {
      const join = await h.coordinator.joinGroup(joinRequest({ groupInstanceId: 'instance-1' }));
      expect(join.errorCode).toBe(NONE);
      expect(join.generationId).toBe(1);
      expect(h.coordinator.describeGroups(['g'])[0].members[0].groupInstanceId).toBe('instance-1');
    });

    it('answers JoinGroup v7+ errors with a null protocol name and older versions with ""', async () => {
      const v7 = await h.coordinator.joinGroup(joinRequest({ apiVersion: 7 }));
      expect(v7.protocolName).toBeNull();
      const v5 = await h.coordinator.joinGroup(joinRequest({ apiVersion: 5 }));
      expect(v5.protocolName).toBe('');
    });

    it('refuses unknown member ids, mismatched protocols and session timeouts out of range', async () => {
      expect((await h.coordinator.joinGroup(joinRequest({ memberId: 'made-up' }))).errorCode).toBe(
        UNKNOWN_MEMBER_ID,
      );
      await stableGroup(h.coordinator, 1);
      expect((await h.coordinator.joinGroup(joinRequest({ memberId: 'made-up' }))).errorCode).toBe(
        UNKNOWN_MEMBER_ID,
      );
      expect((await h.coordinator.joinGroup(joinRequest({ protocolType: 'connect' }))).errorCode).toBe(
        INCONSISTENT_GROUP_PROTOCOL,
      );
      const noCommon = joinRequest({ protocols: [{ name: 'roundrobin', metadata: Buffer.alloc(0) }] });
      expect((await h.coordinator.joinGroup(noCommon)).errorCode).toBe(INCONSISTENT_GROUP_PROTOCOL);
      expect(
        (await h.coordinator.joinGroup(joinRequest({ groupId: 'empty-protocols', protocols: [] }))).errorCode,
      ).toBe(INCONSISTENT_GROUP_PROTOCOL);
      expect((await h.coordinator.joinGroup(joinRequest({ sessionTimeoutMs: 5 }))).errorCode).toBe(
        INVALID_SESSION_TIMEOUT,
      );
    });

    it('forgets a member id handed out with error 79 when the client never comes back', async () => {
      const memberId = await obtainMemberId(h.coordinator, { sessionTimeoutMs: 300 });
      expect(h.coordinator.describeGroups(['g'])[0].members).toEqual([]);
      await advance(301);
      expect((await h.coordinator.joinGroup(joinRequest({ memberId }))).errorCode).toBe(UNKNOWN_MEMBER_ID);
    });
  });

  describe('several members', () => {
    beforeEach(async () => {
      h = await startCoordinator({ initialRebalanceDelayMs: 100 });
    });

    it('gives three members joining together one generation and one leader', async () => {
      const ids = [
        await obtainMemberId(h.coordinator, { clientId: 'a' }),
        await obtainMemberId(h.coordinator, { clientId: 'b' }),
        await obtainMemberId(h.coordinator, { clientId: 'c' }),
      ];
      const joins = ids.map((memberId, i) =>
        track(
          h.coordinator.joinGroup(
            joinRequest({ memberId, protocols: [{ name: 'range', metadata: Buffer.from(`m${i}`) }] }),
          ),
        ),
      );
      await advance(0);
      expect(stateOf(h)).toBe('PreparingRebalance');
      // The joins arrived during the initial delay, which buys one more delay before the generation forms.
      await advance(100);
      expect(joins.some((j) => j.settled)).toBe(false);
      await advance(100);
      expect(joins.every((j) => j.settled)).toBe(true);

      const [leader, ...followers] = joins.map((j) => j.value);
      expect(leader).toMatchObject({ errorCode: NONE, generationId: 1, leader: ids[0], memberId: ids[0] });
      expect(leader.members).toEqual(
        ids.map((memberId, i) => ({ memberId, groupInstanceId: null, metadata: Buffer.from(`m${i}`) })),
      );
      followers.forEach((f, i) => {
        expect(f).toMatchObject({ errorCode: NONE, generationId: 1, leader: ids[0], memberId: ids[i + 1] });
        expect(f.members).toEqual([]);
      });

      // Followers wait for the leader's assignment.
      const followerSyncs = [track(sync(h, ids[1], 1)), track(sync(h, ids[2], 1))];
      await advance(0);
      expect(followerSyncs.some((s) => s.settled)).toBe(false);
      expect(stateOf(h)).toBe('CompletingRebalance');

      // ids[2] is left out of the assignment on purpose: it gets an empty one.
      const leaderSync = await sync(h, ids[0], 1, { [ids[0]]: 'p0', [ids[1]]: 'p1', 'not-a-member': 'x' });
      await advance(0);
      expect(leaderSync).toEqual({ errorCode: NONE, assignment: Buffer.from('p0') });
      expect(followerSyncs[0].value).toEqual({ errorCode: NONE, assignment: Buffer.from('p1') });
      expect(followerSyncs[1].value).toEqual({ errorCode: NONE, assignment: Buffer.alloc(0) });
      expect(stateOf(h)).toBe('Stable');
    });

    it('caps the initial delay at the rebalance timeout while members keep arriving', async () => {
      const opts = { rebalanceTimeoutMs: 250 };
      const first = track(
        h.coordinator.joinGroup(joinRequest({ ...opts, memberId: await obtainMemberId(h.coordinator) })),
      );
      for (let t = 0; t < 4; t++) {
        await advance(60);
        void h.coordinator.joinGroup(joinRequest({ ...opts, memberId: await obtainMemberId(h.coordinator) }));
      }
      // Members arrived at 60, 120, 180 and 240 ms: 100 + 100 + 50 ms of delay, then the generation forms.
      await advance(249 - 240);
      expect(first.settled).toBe(false);
      await advance(1);
      expect(first.value.errorCode).toBe(NONE);
      expect(first.value.members).toHaveLength(5);
    });

    it('rebalances when a 4th member joins a stable group; the others learn it by heartbeat and rejoin', async () => {
      const { memberIds, leader } = await stableGroup(h.coordinator, 3);
      expect(stateOf(h)).toBe('Stable');

      const newcomerId = await obtainMemberId(h.coordinator, { clientId: 'd' });
      const newcomer = track(h.coordinator.joinGroup(joinRequest({ clientId: 'd', memberId: newcomerId })));
      await advance(0);
      expect(stateOf(h)).toBe('PreparingRebalance');
      expect(newcomer.settled).toBe(false);

      for (const id of memberIds) expect(heartbeat(h, id, 1)).toBe(REBALANCE_IN_PROGRESS);
      expect((await sync(h, memberIds[1], 1)).errorCode).toBe(REBALANCE_IN_PROGRESS);

      const rejoins = memberIds.map((memberId) => track(h.coordinator.joinGroup(joinRequest({ memberId }))));
      await advance(0);
      // Completes as soon as the last known member is back, well before the rebalance timeout.
      expect([...rejoins, newcomer].every((j) => j.settled)).toBe(true);
      for (const j of [...rejoins, newcomer]) {
        expect(j.value).toMatchObject({ errorCode: NONE, generationId: 2, leader });
      }
      expect(rejoins[0].value.members.map((m) => m.memberId)).toEqual([...memberIds, newcomerId]);
      expect(newcomer.value.members).toEqual([]);
      expect(heartbeat(h, memberIds[0], 1)).toBe(ILLEGAL_GENERATION);
      expect(heartbeat(h, memberIds[0], 2)).toBe(NONE);
      expect(stateOf(h)).toBe('CompletingRebalance');
    });

    it('evicts a member whose session times out and rebalances the others', async () => {
      const { memberIds } = await stableGroup(h.coordinator, 3);
      const [a, b, dead] = memberIds;
      await advance(600);
      expect(heartbeat(h, a, 1)).toBe(NONE);
      expect(heartbeat(h, b, 1)).toBe(NONE);
      await advance(500);
      expect(stateOf(h)).toBe('PreparingRebalance');
      expect(h.logs.some((l) => l.includes(dead) && l.includes('session timeout'))).toBe(true);
      expect(heartbeat(h, dead, 1)).toBe(UNKNOWN_MEMBER_ID);
      expect(heartbeat(h, a, 1)).toBe(REBALANCE_IN_PROGRESS);

      const rejoins = [a, b].map((memberId) => track(h.coordinator.joinGroup(joinRequest({ memberId }))));
      await advance(0);
      expect(rejoins[0].value).toMatchObject({ errorCode: NONE, generationId: 2, leader: a });
      expect(rejoins[0].value.members.map((m) => m.memberId)).toEqual([a, b]);
    });

    it("after a crash, lets a newcomer in once the dead member's own session timeout has passed, as Kafka does", async () => {
      // The projection service's settings: 6 s session, 30 s rebalance timeout. The dead member never heartbeats
      // again; the newcomer's join waits for its session to expire, not for the rebalance timeout.
      const settings = { sessionTimeoutMs: 6_000, rebalanceTimeoutMs: 30_000 };
      const { memberIds } = await stableGroup(h.coordinator, 1, settings);
      const [dead] = memberIds;
      await advance(1_000);
      const newcomerId = await obtainMemberId(h.coordinator, { clientId: 'restarted', ...settings });
      const newcomer = track(
        h.coordinator.joinGroup(joinRequest({ clientId: 'restarted', memberId: newcomerId, ...settings })),
      );
      await advance(4_900);
      expect(newcomer.settled).toBe(false);
      expect(stateOf(h)).toBe('PreparingRebalance');
      await advance(200);
      expect(h.logs.some((l) => l.includes(dead) && l.includes('session timeout (6000 ms)'))).toBe(true);
      expect(newcomer.value).toMatchObject({ errorCode: NONE, generationId: 2, leader: newcomerId });
      expect(newcomer.value.members.map((m) => m.memberId)).toEqual([newcomerId]);
    });

    it('goes Empty when the session of the last member times out', async () => {
      const { memberIds } = await stableGroup(h.coordinator, 1);
      await advance(1001);
      expect(stateOf(h)).toBe('Empty');
      expect(heartbeat(h, memberIds[0], 1)).toBe(UNKNOWN_MEMBER_ID);
      expect(h.coordinator.describeGroups(['g'])[0].members).toEqual([]);
    });

    it('removes members that keep heartbeating but do not rejoin within the rebalance timeout', async () => {
      const { memberIds } = await stableGroup(h.coordinator, 2);
      const [leader, laggard] = memberIds;
      const rejoin = track(h.coordinator.joinGroup(joinRequest({ memberId: leader })));
      for (let t = 0; t < 3; t++) {
        await advance(500);
        expect(heartbeat(h, laggard, 1)).toBe(REBALANCE_IN_PROGRESS);
      }
      expect(rejoin.settled).toBe(false);
      await advance(500);
      expect(rejoin.value).toMatchObject({ errorCode: NONE, generationId: 2, leader });
      expect(rejoin.value.members.map((m) => m.memberId)).toEqual([leader]);
      expect(heartbeat(h, laggard, 2)).toBe(UNKNOWN_MEMBER_ID);
    });

    it('passes leadership on when the leader is gone', async () => {
      const { memberIds } = await stableGroup(h.coordinator, 2);
      const [leader, follower] = memberIds;
      expect(h.coordinator.leaveGroup({ groupId: 'g', memberId: leader }).errorCode).toBe(NONE);
      const rejoin = await h.coordinator.joinGroup(joinRequest({ memberId: follower }));
      expect(rejoin).toMatchObject({ errorCode: NONE, generationId: 2, leader: follower });
    });

    it('triggers a rebalance on leave, and goes Empty when the last member leaves', async () => {
      const { memberIds } = await stableGroup(h.coordinator, 2);
      const [a, b] = memberIds;
      expect(h.coordinator.leaveGroup({ groupId: 'g', memberId: b }).errorCode).toBe(NONE);
      expect(stateOf(h)).toBe('PreparingRebalance');
      expect(h.coordinator.leaveGroup({ groupId: 'g', memberId: b }).errorCode).toBe(UNKNOWN_MEMBER_ID);
      expect(h.coordinator.leaveGroup({ groupId: 'nope', memberId: b }).errorCode).toBe(UNKNOWN_MEMBER_ID);
      expect(heartbeat(h, a, 1)).toBe(REBALANCE_IN_PROGRESS);
      const rejoin = await h.coordinator.joinGroup(joinRequest({ memberId: a }));
      expect(rejoin).toMatchObject({ errorCode: NONE, generationId: 2 });
      expect(rejoin.members).toHaveLength(1);

      expect(h.coordinator.leaveGroup({ groupId: 'g', memberId: a }).errorCode).toBe(NONE);
      expect(stateOf(h)).toBe('Empty');
      expect(heartbeat(h, a, 2)).toBe(UNKNOWN_MEMBER_ID);
    });

    it('answers a parked JoinGroup with 25 when its member leaves', async () => {
      const { memberIds } = await stableGroup(h.coordinator, 2);
      const [a, b] = memberIds;
      const parked = track(h.coordinator.joinGroup(joinRequest({ memberId: a })));
      await advance(0);
      expect(h.coordinator.leaveGroup({ groupId: 'g', memberId: a }).errorCode).toBe(NONE);
      await advance(0);
      expect(parked.value.errorCode).toBe(UNKNOWN_MEMBER_ID);
      // b is now the only member and has not rejoined yet: the rebalance waits for it.
      expect(stateOf(h)).toBe('PreparingRebalance');
      expect((await h.coordinator.joinGroup(joinRequest({ memberId: b }))).generationId).toBe(2);
    });

    it('lets a follower with unchanged metadata rejoin a stable group without a rebalance', async () => {
      const { memberIds, leader } = await stableGroup(h.coordinator, 2);
      const follower = memberIds[1];
      const res = await h.coordinator.joinGroup(joinRequest({ memberId: follower }));
      expect(res).toEqual({
        errorCode: NONE,
        generationId: 1,
        protocolName: 'range',
        leader,
        memberId: follower,
        members: [],
      });
      expect(stateOf(h)).toBe('Stable');

      const changed = track(
        h.coordinator.joinGroup(
          joinRequest({ memberId: follower, protocols: [{ name: 'range', metadata: Buffer.from('new') }] }),
        ),
      );
      await advance(0);
      expect(changed.settled).toBe(false);
      expect(stateOf(h)).toBe('PreparingRebalance');
    });

    it('rebalances when the leader rejoins a stable group', async () => {
      const { leader } = await stableGroup(h.coordinator, 2);
      void h.coordinator.joinGroup(joinRequest({ memberId: leader }));
      await advance(0);
      expect(stateOf(h)).toBe('PreparingRebalance');
    });

    it('releases followers parked in SyncGroup with 27 when the group rebalances before the leader syncs', async () => {
      const ids = [await obtainMemberId(h.coordinator), await obtainMemberId(h.coordinator)];
      const joins = ids.map((memberId) => h.coordinator.joinGroup(joinRequest({ memberId })));
      await advance(200);
      const [leaderJoin] = await Promise.all(joins);
      expect(leaderJoin.generationId).toBe(1);
      const followerSync = track(sync(h, ids[1], 1));
      await advance(0);
      expect(followerSync.settled).toBe(false);

      expect(heartbeat(h, ids[1], 1)).toBe(NONE); // Kafka answers 0 while CompletingRebalance
      void h.coordinator.joinGroup(joinRequest({ memberId: await obtainMemberId(h.coordinator) }));
      await advance(0);
      expect(followerSync.value).toEqual({ errorCode: REBALANCE_IN_PROGRESS, assignment: Buffer.alloc(0) });
      expect((await sync(h, ids[0], 1)).errorCode).toBe(REBALANCE_IN_PROGRESS);
      expect((await sync(h, ids[0], 0)).errorCode).toBe(ILLEGAL_GENERATION);
      expect((await sync(h, 'stranger', 1)).errorCode).toBe(UNKNOWN_MEMBER_ID);
    });

    it('evicts a leader that never syncs, releasing its followers', async () => {
      const ids = [await obtainMemberId(h.coordinator), await obtainMemberId(h.coordinator)];
      const joins = ids.map((memberId) => h.coordinator.joinGroup(joinRequest({ memberId })));
      await advance(200);
      await Promise.all(joins);
      const followerSync = track(sync(h, ids[1], 1));
      await advance(999);
      expect(followerSync.settled).toBe(false);
      await advance(2);
      expect(followerSync.value.errorCode).toBe(REBALANCE_IN_PROGRESS);
      expect(heartbeat(h, ids[0], 1)).toBe(UNKNOWN_MEMBER_ID);
    });

    it('removes members that stay alive but never send SyncGroup within the rebalance timeout', async () => {
      const ids = [await obtainMemberId(h.coordinator), await obtainMemberId(h.coordinator)];
      const joins = ids.map((memberId) => h.coordinator.joinGroup(joinRequest({ memberId })));
      await advance(200);
      await Promise.all(joins);
      const followerSync = track(sync(h, ids[1], 1));
      for (let t = 0; t < 3; t++) {
        await advance(500);
        expect(heartbeat(h, ids[0], 1)).toBe(NONE);
      }
      expect(followerSync.settled).toBe(false);
      await advance(500);
      expect(followerSync.value.errorCode).toBe(REBALANCE_IN_PROGRESS);
      expect(heartbeat(h, ids[0], 1)).toBe(UNKNOWN_MEMBER_ID);
      expect(h.logs.some((l) => l.includes(ids[0]) && l.includes('SyncGroup'))).toBe(true);
    });

    it('waits for a member that was told to come back with its id (79) until that id expires', async () => {
      const { memberIds } = await stableGroup(h.coordinator, 1);
      await obtainMemberId(h.coordinator, { sessionTimeoutMs: 400 });
      const rejoin = track(h.coordinator.joinGroup(joinRequest({ memberId: memberIds[0] })));
      await advance(399);
      expect(rejoin.settled).toBe(false);
      await advance(1);
      expect(rejoin.value).toMatchObject({ errorCode: NONE, generationId: 2 });
      expect(rejoin.value.members).toHaveLength(1);
    });

    it('chooses the protocol most members prefer among those all support', async () => {
      const rr = { name: 'roundrobin', metadata: Buffer.from('rr') };
      const range = { name: 'range', metadata: Buffer.from('range') };
      const sticky = { name: 'sticky', metadata: Buffer.from('sticky') };
      const prefs = [
        [range, rr],
        [rr, range, sticky],
        [sticky, rr, range],
      ];
      const ids: string[] = [];
      for (const protocols of prefs) ids.push(await obtainMemberId(h.coordinator, { protocols }));
      const joins = ids.map((memberId, i) =>
        h.coordinator.joinGroup(joinRequest({ memberId, protocols: prefs[i] })),
      );
      await advance(200);
      const [leader] = await Promise.all(joins);
      expect(leader.protocolName).toBe('roundrobin');
      expect(leader.members.map((m) => m.metadata.toString())).toEqual(['rr', 'rr', 'rr']);
    });
    it('breaks a tie in protocol votes by the preference of the oldest member', async () => {
      const rr = { name: 'roundrobin', metadata: Buffer.from('rr') };
      const range = { name: 'range', metadata: Buffer.from('range') };
      const prefs = [
        [range, rr],
        [rr, range],
      ];
      const ids: string[] = [];
      for (const protocols of prefs) ids.push(await obtainMemberId(h.coordinator, { protocols }));
      const joins = ids.map((memberId, i) =>
        h.coordinator.joinGroup(joinRequest({ memberId, protocols: prefs[i] })),
      );
      await advance(200);
      const [leader] = await Promise.all(joins);
      expect(leader.protocolName).toBe('range');
    });
  });

  describe('describe and list', () => {
    beforeEach(async () => {
      h = await startCoordinator({ initialRebalanceDelayMs: 50 });
    });

    it('describes stable, rebalancing and unknown groups like Kafka', async () => {
      const { memberIds } = await stableGroup(h.coordinator, 2);
      const [described, unknown] = h.coordinator.describeGroups(['g', 'ghost']);
      expect(described).toEqual({
        errorCode: NONE,
        groupId: 'g',
        groupState: 'Stable',
        protocolType: 'consumer',
        protocolData: 'range',
        members: memberIds.map((memberId, i) => ({
          memberId,
          groupInstanceId: null,
          clientId: `c${i}`,
          clientHost: '/127.0.0.1',
          memberMetadata: Buffer.from('meta'),
          memberAssignment: Buffer.from(`assignment-of-${memberId}`),
        })),
      });
      expect(unknown).toEqual({
        errorCode: NONE,
        groupId: 'ghost',
        groupState: 'Dead',
        protocolType: '',
        protocolData: '',
        members: [],
      });

      h.coordinator.leaveGroup({ groupId: 'g', memberId: memberIds[1] });
      const rebalancing = h.coordinator.describeGroups(['g'])[0];
      expect(rebalancing).toMatchObject({ groupState: 'PreparingRebalance', protocolData: '' });
      expect(rebalancing.members).toEqual([
        expect.objectContaining({
          memberId: memberIds[0],
          memberMetadata: Buffer.alloc(0),
          memberAssignment: Buffer.alloc(0),
        }),
      ]);
    });

    it('lists every group with its state', async () => {
      await stableGroup(h.coordinator, 1, { groupId: 'one' });
      void h.coordinator.joinGroup(
        joinRequest({ groupId: 'two', memberId: await obtainMemberId(h.coordinator, { groupId: 'two' }) }),
      );
      h.coordinator.commitOffsets({
        groupId: 'offsets-only',
        generationId: -1,
        memberId: '',
        topics: [
          { name: 't', partitions: [{ partitionIndex: 0, committedOffset: 5n, committedMetadata: null }] },
        ],
      });
      await advance(0);
      expect(h.coordinator.listGroups()).toEqual([
        { groupId: 'one', protocolType: 'consumer', groupState: 'Stable' },
        { groupId: 'two', protocolType: 'consumer', groupState: 'PreparingRebalance' },
        { groupId: 'offsets-only', protocolType: '', groupState: 'Empty' },
      ]);
    });
  });

  describe('lifecycle', () => {
    it('answers 14 before init and 15 after close, including parked requests', async () => {
      const coordinator = new GroupCoordinator({
        offsetStore: new MemoryOffsetStore(),
        minSessionTimeoutMs: 10,
      });
      h = { coordinator, store: new MemoryOffsetStore(), logs: [] };
      expect((await coordinator.joinGroup(joinRequest())).errorCode).toBe(COORDINATOR_LOAD_IN_PROGRESS);
      expect(coordinator.fetchOffsets({ groupId: 'g', topics: null }).errorCode).toBe(
        COORDINATOR_LOAD_IN_PROGRESS,
      );
      await coordinator.init();

      const memberId = await obtainMemberId(coordinator);
      const parked = track(coordinator.joinGroup(joinRequest({ memberId })));
      await advance(0);
      expect(parked.settled).toBe(false); // held by the default initial rebalance delay
      coordinator.close();
      await advance(0);
      expect(parked.value.errorCode).toBe(COORDINATOR_NOT_AVAILABLE);
      expect(jest.getTimerCount()).toBe(0);
      expect((await coordinator.joinGroup(joinRequest())).errorCode).toBe(COORDINATOR_NOT_AVAILABLE);
      expect(
        coordinator.heartbeat({ groupId: 'g', generationId: 1, memberId, groupInstanceId: null }).errorCode,
      ).toBe(COORDINATOR_NOT_AVAILABLE);
    });

    it('answers parked SyncGroup requests with 15 on close', async () => {
      h = await startCoordinator({ initialRebalanceDelayMs: 50 });
      const ids = [await obtainMemberId(h.coordinator), await obtainMemberId(h.coordinator)];
      const joins = ids.map((memberId) => h.coordinator.joinGroup(joinRequest({ memberId })));
      await advance(100);
      await Promise.all(joins);
      const parked = track(sync(h, ids[1], 1));
      await advance(0);
      h.coordinator.close();
      await advance(0);
      expect(parked.value.errorCode).toBe(COORDINATOR_NOT_AVAILABLE);
    });
  });
});
