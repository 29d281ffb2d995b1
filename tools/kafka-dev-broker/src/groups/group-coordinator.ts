import { randomUUID } from 'node:crypto';
import {
  COORDINATOR_LOAD_IN_PROGRESS,
  COORDINATOR_NOT_AVAILABLE,
  ILLEGAL_GENERATION,
  INCONSISTENT_GROUP_PROTOCOL,
  INVALID_GROUP_ID,
  INVALID_SESSION_TIMEOUT,
  MEMBER_ID_REQUIRED,
  NONE,
  OFFSET_METADATA_TOO_LARGE,
  REBALANCE_IN_PROGRESS,
  UNKNOWN_MEMBER_ID,
  UNKNOWN_SERVER_ERROR,
} from './error-codes';
import { Group } from './group';
import { EMPTY_BUFFER, Member } from './member';
import { OffsetCache } from './offset-cache';
import type {
  DescribedGroup,
  GroupCoordinatorOptions,
  HeartbeatRequest,
  JoinGroupRequest,
  JoinGroupResponse,
  LeaveGroupRequest,
  ListedGroup,
  OffsetCommitRequest,
  OffsetCommitResponse,
  OffsetFetchRequest,
  OffsetFetchResponse,
  OffsetStore,
  SyncGroupRequest,
  SyncGroupResponse,
} from './types';

export type { GroupCoordinatorOptions, OffsetStore } from './types';

// Short enough that consumers started together share the first generation without slowing tests much; Kafka's
// own default (3000) is tuned for production fleets.
export const DEFAULT_INITIAL_REBALANCE_DELAY_MS = 100;
const DEFAULT_MIN_SESSION_TIMEOUT_MS = 6000;
const DEFAULT_MAX_SESSION_TIMEOUT_MS = 1_800_000;
const DEFAULT_MAX_OFFSET_METADATA_SIZE = 4096;
const NO_GENERATION = -1;

type JoinWaiter = (response: JoinGroupResponse) => void;

function joinError(apiVersion: number, memberId: string, errorCode: number): JoinGroupResponse {
  // JoinGroup v7 made the protocol name nullable; older versions must carry a string.
  return {
    errorCode,
    generationId: NO_GENERATION,
    protocolName: apiVersion >= 7 ? null : '',
    leader: '',
    memberId,
    members: [],
  };
}

function copyProtocols(protocols: JoinGroupRequest['protocols']): JoinGroupRequest['protocols'] {
  // The codec may hand out views into a reused frame buffer; member metadata outlives the request.
  return protocols.map((p) => ({ name: p.name, metadata: Buffer.from(p.metadata) }));
}

/**
 * The classic consumer-group protocol (JoinGroup/SyncGroup/Heartbeat/LeaveGroup) and committed offsets, following
 * Apache Kafka's GroupCoordinator so that clients see the same answers, in the same order, as from a real broker.
 */
export class GroupCoordinator {
  private readonly groups = new Map<string, Group>();
  private readonly offsets = new OffsetCache();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly store: OffsetStore;
  private readonly initialRebalanceDelayMs: number;
  private readonly minSessionTimeoutMs: number;
  private readonly maxSessionTimeoutMs: number;
  private readonly maxOffsetMetadataSize: number;
  private readonly log: (line: string) => void;
  private readonly now: () => number;
  private loaded = false;
  private closed = false;

  constructor(opts: GroupCoordinatorOptions) {
    this.store = opts.offsetStore;
    this.initialRebalanceDelayMs = opts.initialRebalanceDelayMs ?? DEFAULT_INITIAL_REBALANCE_DELAY_MS;
    this.minSessionTimeoutMs = opts.minSessionTimeoutMs ?? DEFAULT_MIN_SESSION_TIMEOUT_MS;
    this.maxSessionTimeoutMs = opts.maxSessionTimeoutMs ?? DEFAULT_MAX_SESSION_TIMEOUT_MS;
    this.maxOffsetMetadataSize = opts.maxOffsetMetadataSize ?? DEFAULT_MAX_OFFSET_METADATA_SIZE;
    this.log = opts.log ?? (() => undefined);
    this.now = opts.now ?? Date.now;
  }

  async init(): Promise<void> {
    const entries = await this.store.load();
    for (const e of entries) {
      this.offsets.set(e.groupId, e.topic, e.partition, { offset: e.offset, metadata: e.metadata ?? '' });
      // Like Kafka after loading __consumer_offsets: a group with offsets exists, Empty, and is listed.
      this.getOrCreateGroup(e.groupId);
    }
    this.loaded = true;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const group of this.groups.values()) {
      group.joinTimer = undefined;
      group.syncTimer = undefined;
      group.pendingMembers.clear();
      for (const member of group.members.values()) {
        member.sessionTimer = undefined;
        this.answerJoin(member, joinError(0, member.memberId, COORDINATOR_NOT_AVAILABLE));
        this.answerSync(member, { errorCode: COORDINATOR_NOT_AVAILABLE, assignment: EMPTY_BUFFER });
      }
    }
  }

  // ---------------------------------------------------------------------------------------------- JoinGroup

  joinGroup(req: JoinGroupRequest): Promise<JoinGroupResponse> {
    return new Promise((resolve) => this.handleJoin(req, resolve));
  }

  private handleJoin(req: JoinGroupRequest, respond: JoinWaiter): void {
    const fail = (code: number, memberId = req.memberId): void =>
      respond(joinError(req.apiVersion, memberId, code));
    const unavailable = this.unavailableError();
    if (unavailable !== NONE) return fail(unavailable);
    if (req.groupId === '') return fail(INVALID_GROUP_ID);
    if (req.sessionTimeoutMs < this.minSessionTimeoutMs || req.sessionTimeoutMs > this.maxSessionTimeoutMs) {
      return fail(INVALID_SESSION_TIMEOUT);
    }
    // JoinGroup v0 has no rebalance timeout; Kafka uses the session timeout in its place.
    const rebalanceTimeoutMs = req.rebalanceTimeoutMs > 0 ? req.rebalanceTimeoutMs : req.sessionTimeoutMs;
    const protocolNames = req.protocols.map((p) => p.name);

    let group = this.groups.get(req.groupId);
    if (!group) {
      if (req.memberId !== '') return fail(UNKNOWN_MEMBER_ID);
      group = this.getOrCreateGroup(req.groupId);
    }
    if (!group.supportsProtocols(req.protocolType, protocolNames)) return fail(INCONSISTENT_GROUP_PROTOCOL);

    if (req.memberId === '') {
      const memberId = `${req.clientId}-${randomUUID()}`;
      // KIP-394: the client must come back with this id, so a client that times out and retries does not
      // leave a ghost member behind. Forget the id if it never comes back. Kafka exempts static members
      // (group.instance.id); here they are otherwise treated as dynamic ones.
      if (req.apiVersion >= 4 && req.groupInstanceId === null) {
        const target = group;
        group.pendingMembers.set(
          memberId,
          this.schedule(req.sessionTimeoutMs, () => this.onPendingMemberExpired(target, memberId)),
        );
        return fail(MEMBER_ID_REQUIRED, memberId);
      }
      return this.addMemberAndRebalance(group, memberId, req, rebalanceTimeoutMs, respond);
    }

    const pendingTimer = group.pendingMembers.get(req.memberId);
    if (pendingTimer !== undefined) {
      this.cancel(pendingTimer);
      group.pendingMembers.delete(req.memberId);
      return this.addMemberAndRebalance(group, req.memberId, req, rebalanceTimeoutMs, respond);
    }

    const member = group.members.get(req.memberId);
    if (!member) return fail(UNKNOWN_MEMBER_ID);

    switch (group.state) {
      case 'PreparingRebalance':
        return this.updateMemberAndRebalance(group, member, req, rebalanceTimeoutMs, respond);
      case 'CompletingRebalance':
        // The member probably missed its JoinGroup response: hand it the same generation again.
        if (member.matches(req.protocols)) return this.answerCurrentGeneration(group, member, respond);
        return this.updateMemberAndRebalance(group, member, req, rebalanceTimeoutMs, respond);
      case 'Stable':
        // A leader rejoining asks for a new assignment (e.g. topics changed); a follower with unchanged
        // metadata just learns the current generation and syncs.
        if (group.isLeader(member.memberId) || !member.matches(req.protocols)) {
          return this.updateMemberAndRebalance(group, member, req, rebalanceTimeoutMs, respond);
        }
        return this.answerCurrentGeneration(group, member, respond);
      case 'Empty':
      case 'Dead':
        return fail(UNKNOWN_MEMBER_ID);
    }
  }

  private answerCurrentGeneration(group: Group, member: Member, respond: JoinWaiter): void {
    const isLeader = group.isLeader(member.memberId);
    respond({
      errorCode: NONE,
      generationId: group.generationId,
      protocolName: group.protocolName,
      leader: group.leaderId ?? '',
      memberId: member.memberId,
      members: isLeader && group.state === 'CompletingRebalance' ? group.currentMemberMetadata() : [],
    });
    this.touch(group, member);
  }

  private addMemberAndRebalance(
    group: Group,
    memberId: string,
    req: JoinGroupRequest,
    rebalanceTimeoutMs: number,
    respond: JoinWaiter,
  ): void {
    const member = new Member(
      memberId,
      req.groupInstanceId,
      req.clientId,
      req.clientHost,
      req.sessionTimeoutMs,
      rebalanceTimeoutMs,
      req.protocolType,
      copyProtocols(req.protocols),
    );
    if (group.state === 'PreparingRebalance' && group.initialDelay) group.initialDelay.newMemberAdded = true;
    group.add(member);
    member.joinWaiter = respond;
    this.log(`group ${group.groupId}: member ${memberId} (client ${req.clientId}) joins`);
    this.maybePrepareRebalance(group, `member ${memberId} joined`);
    this.checkJoinComplete(group);
  }

  private updateMemberAndRebalance(
    group: Group,
    member: Member,
    req: JoinGroupRequest,
    rebalanceTimeoutMs: number,
    respond: JoinWaiter,
  ): void {
    member.protocols = copyProtocols(req.protocols);
    member.sessionTimeoutMs = req.sessionTimeoutMs;
    member.rebalanceTimeoutMs = rebalanceTimeoutMs;
    member.clientId = req.clientId;
    member.clientHost = req.clientHost;
    // A second JoinGroup from the same member means the client gave up on the first one; answer it so that
    // nothing stays parked forever.
    this.answerJoin(member, joinError(req.apiVersion, member.memberId, REBALANCE_IN_PROGRESS));
    member.joinWaiter = respond;
    // A member waiting for the rebalance is alive by definition (Kafka: awaiting join satisfies heartbeats).
    this.cancelSession(member);
    this.maybePrepareRebalance(group, `member ${member.memberId} rejoined`);
    this.checkJoinComplete(group);
  }

  // -------------------------------------------------------------------------------------- rebalance driving

  private maybePrepareRebalance(group: Group, reason: string): void {
    if (group.state === 'Stable' || group.state === 'CompletingRebalance' || group.state === 'Empty') {
      this.prepareRebalance(group, reason);
    }
  }

  private prepareRebalance(group: Group, reason: string): void {
    if (group.state === 'CompletingRebalance') {
      // Followers parked in SyncGroup must rejoin: the assignment they wait for will never come.
      for (const member of group.members.values()) {
        member.assignment = EMPTY_BUFFER;
        if (this.answerSync(member, { errorCode: REBALANCE_IN_PROGRESS, assignment: EMPTY_BUFFER })) {
          this.touch(group, member);
        }
      }
    }
    this.cancel(group.syncTimer);
    group.syncTimer = undefined;
    group.pendingSync.clear();

    const wasEmpty = group.state === 'Empty';
    group.transitionTo('PreparingRebalance');
    group.rebalanceStartedAt = this.now();
    this.log(`group ${group.groupId}: preparing rebalance from generation ${group.generationId} (${reason})`);

    const rebalanceTimeoutMs = group.rebalanceTimeoutMs();
    if (wasEmpty && this.initialRebalanceDelayMs > 0) {
      group.initialDelay = {
        remainingMs: Math.max(rebalanceTimeoutMs - this.initialRebalanceDelayMs, 0),
        newMemberAdded: false,
      };
      group.joinTimer = this.schedule(this.initialRebalanceDelayMs, () => this.onInitialDelayExpired(group));
    } else {
      group.joinTimer = this.schedule(rebalanceTimeoutMs, () => this.completeJoin(group));
    }
  }

  /** Each member that arrived during the delay buys the group another delay, up to the rebalance timeout. */
  private onInitialDelayExpired(group: Group): void {
    group.joinTimer = undefined;
    const delay = group.initialDelay;
    if (!delay || group.state !== 'PreparingRebalance') return;
    if (delay.newMemberAdded && delay.remainingMs > 0) {
      const next = Math.min(this.initialRebalanceDelayMs, delay.remainingMs);
      delay.remainingMs = Math.max(delay.remainingMs - this.initialRebalanceDelayMs, 0);
      delay.newMemberAdded = false;
      group.joinTimer = this.schedule(next, () => this.onInitialDelayExpired(group));
      return;
    }
    this.completeJoin(group);
  }

  private checkJoinComplete(group: Group): void {
    if (group.state === 'PreparingRebalance' && !group.initialDelay && group.hasAllMembersJoined()) {
      this.completeJoin(group);
    }
  }

  private completeJoin(group: Group): void {
    if (group.state !== 'PreparingRebalance') return;
    this.cancel(group.joinTimer);
    group.joinTimer = undefined;
    group.initialDelay = undefined;

    for (const member of group.notYetRejoined()) {
      this.log(`group ${group.groupId}: removing member ${member.memberId}, it did not rejoin in time`);
      this.cancelSession(member);
      this.answerSync(member, { errorCode: UNKNOWN_MEMBER_ID, assignment: EMPTY_BUFFER });
      group.remove(member.memberId);
    }

    const next = group.initNextGeneration();
    const took = this.now() - group.rebalanceStartedAt;
    if (next === 'Empty') {
      this.log(`group ${group.groupId}: generation ${group.generationId} is empty (${took} ms)`);
      return;
    }
    this.log(
      `group ${group.groupId}: generation ${group.generationId} with ${group.members.size} member(s), ` +
        `protocol ${group.protocolName ?? ''}, leader ${group.leaderId ?? ''} (${took} ms)`,
    );

    const leaderMembers = group.currentMemberMetadata();
    for (const member of group.members.values()) {
      group.pendingSync.add(member.memberId);
      this.answerJoin(member, {
        errorCode: NONE,
        generationId: group.generationId,
        protocolName: group.protocolName,
        leader: group.leaderId ?? '',
        memberId: member.memberId,
        members: group.isLeader(member.memberId) ? leaderMembers : [],
      });
      this.touch(group, member);
    }
    // Kafka (KIP-814 era) drops members that got a generation but never sync, so a silent leader cannot hold
    // followers in SyncGroup forever.
    const generation = group.generationId;
    group.syncTimer = this.schedule(group.rebalanceTimeoutMs(), () => this.onSyncExpired(group, generation));
  }

  private onSyncExpired(group: Group, generation: number): void {
    group.syncTimer = undefined;
    if (group.generationId !== generation) return;
    if (group.state !== 'CompletingRebalance' && group.state !== 'Stable') return;
    for (const memberId of [...group.pendingSync]) {
      const member = group.members.get(memberId);
      if (!member) continue;
      this.log(`group ${group.groupId}: removing member ${memberId}, it did not send SyncGroup in time`);
      this.removeMemberAndUpdateGroup(group, member, `member ${memberId} did not sync`);
    }
  }

  private removeMemberAndUpdateGroup(group: Group, member: Member, reason: string): void {
    this.cancelSession(member);
    // Kafka answers a parked join with an empty member id so that the client starts over cleanly.
    this.answerJoin(member, joinError(0, '', UNKNOWN_MEMBER_ID));
    this.answerSync(member, { errorCode: UNKNOWN_MEMBER_ID, assignment: EMPTY_BUFFER });
    group.remove(member.memberId);
    switch (group.state) {
      case 'Stable':
      case 'CompletingRebalance':
        this.maybePrepareRebalance(group, reason);
        this.checkJoinComplete(group);
        break;
      case 'PreparingRebalance':
        this.checkJoinComplete(group);
        break;
      case 'Empty':
      case 'Dead':
        break;
    }
  }

  private onPendingMemberExpired(group: Group, memberId: string): void {
    if (!group.pendingMembers.delete(memberId)) return;
    this.log(`group ${group.groupId}: pending member ${memberId} never rejoined, forgetting it`);
    this.checkJoinComplete(group);
  }

  // ---------------------------------------------------------------------------------------------- SyncGroup

  syncGroup(req: SyncGroupRequest): Promise<SyncGroupResponse> {
    const fail = (errorCode: number): Promise<SyncGroupResponse> =>
      Promise.resolve({ errorCode, assignment: EMPTY_BUFFER });
    if (this.closed) return fail(COORDINATOR_NOT_AVAILABLE);
    // Kafka answers 27 while loading: the rebalance state is gone, and old clients do not expect error 14.
    if (!this.loaded) return fail(REBALANCE_IN_PROGRESS);
    if (req.groupId === '') return fail(INVALID_GROUP_ID);
    const group = this.groups.get(req.groupId);
    const member = group?.members.get(req.memberId);
    if (!group || !member) return fail(UNKNOWN_MEMBER_ID);
    if (req.generationId !== group.generationId) return fail(ILLEGAL_GENERATION);

    switch (group.state) {
      case 'Empty':
      case 'Dead':
        return fail(UNKNOWN_MEMBER_ID);
      case 'PreparingRebalance':
        return fail(REBALANCE_IN_PROGRESS);
      case 'Stable':
        group.pendingSync.delete(member.memberId);
        this.touch(group, member);
        return Promise.resolve({ errorCode: NONE, assignment: member.assignment });
      case 'CompletingRebalance':
        return new Promise((resolve) => {
          this.answerSync(member, { errorCode: REBALANCE_IN_PROGRESS, assignment: EMPTY_BUFFER });
          member.syncWaiter = resolve;
          this.cancelSession(member);
          group.pendingSync.delete(member.memberId);
          if (group.isLeader(member.memberId)) this.applyAssignment(group, req.assignments);
        });
    }
  }

  private applyAssignment(group: Group, assignments: SyncGroupRequest['assignments']): void {
    const byMember = new Map(assignments.map((a) => [a.memberId, a.assignment]));
    for (const member of group.members.values()) {
      const assignment = byMember.get(member.memberId);
      member.assignment = assignment ? Buffer.from(assignment) : EMPTY_BUFFER;
    }
    group.transitionTo('Stable');
    this.log(`group ${group.groupId}: generation ${group.generationId} is stable`);
    for (const member of group.members.values()) {
      if (this.answerSync(member, { errorCode: NONE, assignment: member.assignment }))
        this.touch(group, member);
    }
    if (group.pendingSync.size === 0) {
      this.cancel(group.syncTimer);
      group.syncTimer = undefined;
    }
  }

  // --------------------------------------------------------------------------------- Heartbeat, LeaveGroup

  heartbeat(req: HeartbeatRequest): { errorCode: number } {
    if (this.closed) return { errorCode: COORDINATOR_NOT_AVAILABLE };
    // Kafka answers blindly while loading, so members are not kicked out by a restart they cannot see.
    if (!this.loaded) return { errorCode: NONE };
    if (req.groupId === '') return { errorCode: INVALID_GROUP_ID };
    const group = this.groups.get(req.groupId);
    if (!group || group.state === 'Empty') return { errorCode: UNKNOWN_MEMBER_ID };
    const member = group.members.get(req.memberId);
    if (!member) return { errorCode: UNKNOWN_MEMBER_ID };
    if (req.generationId !== group.generationId) return { errorCode: ILLEGAL_GENERATION };
    switch (group.state) {
      case 'PreparingRebalance':
        this.touch(group, member);
        return { errorCode: REBALANCE_IN_PROGRESS };
      case 'CompletingRebalance':
      case 'Stable':
        this.touch(group, member);
        return { errorCode: NONE };
      case 'Dead':
        return { errorCode: COORDINATOR_NOT_AVAILABLE };
    }
  }

  leaveGroup(req: LeaveGroupRequest): { errorCode: number } {
    const unavailable = this.unavailableError();
    if (unavailable !== NONE) return { errorCode: unavailable };
    if (req.groupId === '') return { errorCode: INVALID_GROUP_ID };
    const group = this.groups.get(req.groupId);
    if (!group) return { errorCode: UNKNOWN_MEMBER_ID };
    const pendingTimer = group.pendingMembers.get(req.memberId);
    if (pendingTimer !== undefined) {
      this.cancel(pendingTimer);
      group.pendingMembers.delete(req.memberId);
      this.checkJoinComplete(group);
      return { errorCode: NONE };
    }
    const member = group.members.get(req.memberId);
    if (!member) return { errorCode: UNKNOWN_MEMBER_ID };
    this.log(`group ${group.groupId}: member ${member.memberId} leaves`);
    this.removeMemberAndUpdateGroup(group, member, `member ${member.memberId} left`);
    return { errorCode: NONE };
  }

  // ------------------------------------------------------------------------------------------------ offsets

  commitOffsets(req: OffsetCommitRequest): OffsetCommitResponse {
    const answerAll = (errorCode: number): OffsetCommitResponse => ({
      topics: req.topics.map((t) => ({
        name: t.name,
        partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode })),
      })),
    });
    const unavailable = this.unavailableError();
    if (unavailable !== NONE) return answerAll(unavailable);

    let group = this.groups.get(req.groupId);
    if (!group) {
      // A group nobody manages (assign()-style consumers, admin offset resets) may commit with no generation;
      // a generation for a group that does not exist can only be stale.
      if (req.generationId >= 0) return answerAll(ILLEGAL_GENERATION);
      group = this.getOrCreateGroup(req.groupId);
    }

    const claimsMembership = req.generationId >= 0 || req.memberId !== '';
    if (claimsMembership) {
      const member = group.members.get(req.memberId);
      if (!member) return answerAll(UNKNOWN_MEMBER_ID);
      if (req.generationId !== group.generationId) return answerAll(ILLEGAL_GENERATION);
      // The member has its new generation but not its assignment yet, so its offsets may be for partitions
      // it is about to lose. PreparingRebalance is fine: the member learns of the rebalance by heartbeat.
      if (group.state === 'CompletingRebalance') return answerAll(REBALANCE_IN_PROGRESS);
      this.touch(group, member);
    } else if (group.state !== 'Empty') {
      // Only members may commit for a group that has members.
      return answerAll(UNKNOWN_MEMBER_ID);
    }

    const groupId = req.groupId;
    return {
      topics: req.topics.map((t) => ({
        name: t.name,
        partitions: t.partitions.map((p) => ({
          partitionIndex: p.partitionIndex,
          errorCode: this.storeOffset(
            groupId,
            t.name,
            p.partitionIndex,
            p.committedOffset,
            p.committedMetadata,
          ),
        })),
      })),
    };
  }

  private storeOffset(
    groupId: string,
    topic: string,
    partition: number,
    offset: bigint,
    rawMetadata: string | null,
  ): number {
    // Kafka keeps a null metadata as "" and hands "" back.
    const metadata = rawMetadata ?? '';
    if (metadata.length > this.maxOffsetMetadataSize) return OFFSET_METADATA_TOO_LARGE;
    try {
      this.store.save(groupId, topic, partition, offset, metadata);
    } catch (err) {
      this.log(`group ${groupId}: saving offset ${topic}-${partition} failed: ${String(err)}`);
      return UNKNOWN_SERVER_ERROR;
    }
    this.offsets.set(groupId, topic, partition, { offset, metadata });
    return NONE;
  }

  fetchOffsets(req: OffsetFetchRequest): OffsetFetchResponse {
    const unavailable = this.unavailableError();
    if (unavailable !== NONE) return { errorCode: unavailable, topics: [] };
    // Offsets are answered whatever the group's state: groups that only store offsets have no members at all.
    if (req.topics === null) {
      return {
        errorCode: NONE,
        topics: this.offsets.all(req.groupId).map(({ topic, partitions }) => ({
          name: topic,
          partitions: partitions.map(([partitionIndex, c]) => ({
            partitionIndex,
            committedOffset: c.offset,
            metadata: c.metadata,
            errorCode: NONE,
          })),
        })),
      };
    }
    return {
      errorCode: NONE,
      topics: req.topics.map((t) => ({
        name: t.name,
        partitions: t.partitionIndexes.map((partitionIndex) => {
          const c = this.offsets.get(req.groupId, t.name, partitionIndex);
          return {
            partitionIndex,
            committedOffset: c ? c.offset : -1n,
            metadata: c ? c.metadata : '',
            errorCode: NONE,
          };
        }),
      })),
    };
  }

  // ------------------------------------------------------------------------------------------ admin views

  describeGroups(groupIds: string[]): DescribedGroup[] {
    const unavailable = this.unavailableError();
    return groupIds.map((groupId) => {
      if (unavailable !== NONE) {
        return {
          errorCode: unavailable,
          groupId,
          groupState: '',
          protocolType: '',
          protocolData: '',
          members: [],
        };
      }
      const group = this.groups.get(groupId);
      if (!group)
        return {
          errorCode: NONE,
          groupId,
          groupState: 'Dead',
          protocolType: '',
          protocolData: '',
          members: [],
        };
      return group.describe();
    });
  }

  listGroups(): ListedGroup[] {
    if (this.unavailableError() !== NONE) return [];
    return [...this.groups.values()]
      .filter((g) => g.state !== 'Dead')
      .map((g) => ({ groupId: g.groupId, protocolType: g.protocolType ?? '', groupState: g.state }));
  }

  // ------------------------------------------------------------------------------------------------ helpers

  private unavailableError(): number {
    if (this.closed) return COORDINATOR_NOT_AVAILABLE;
    if (!this.loaded) return COORDINATOR_LOAD_IN_PROGRESS;
    return NONE;
  }

  private getOrCreateGroup(groupId: string): Group {
    let group = this.groups.get(groupId);
    if (!group) {
      group = new Group(groupId);
      this.groups.set(groupId, group);
    }
    return group;
  }

  /** Restart the member's session timer, unless it is parked in JoinGroup/SyncGroup and so known to be alive. */
  private touch(group: Group, member: Member): void {
    this.cancelSession(member);
    if (member.isAwaitingJoin || member.isAwaitingSync || this.closed) return;
    member.sessionTimer = this.schedule(member.sessionTimeoutMs, () => this.onSessionExpired(group, member));
  }

  private onSessionExpired(group: Group, member: Member): void {
    member.sessionTimer = undefined;
    if (group.members.get(member.memberId) !== member) return;
    if (member.isAwaitingJoin || member.isAwaitingSync) return;
    this.log(
      `group ${group.groupId}: member ${member.memberId} missed its session timeout ` +
        `(${member.sessionTimeoutMs} ms), removing it`,
    );
    this.removeMemberAndUpdateGroup(group, member, `member ${member.memberId} session expired`);
  }

  private cancelSession(member: Member): void {
    this.cancel(member.sessionTimer);
    member.sessionTimer = undefined;
  }

  private answerJoin(member: Member, response: JoinGroupResponse): boolean {
    const waiter = member.joinWaiter;
    if (!waiter) return false;
    member.joinWaiter = undefined;
    waiter(response);
    return true;
  }

  private answerSync(member: Member, response: SyncGroupResponse): boolean {
    const waiter = member.syncWaiter;
    if (!waiter) return false;
    member.syncWaiter = undefined;
    waiter(response);
    return true;
  }

  private schedule(ms: number, fn: () => void): NodeJS.Timeout {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      try {
        fn();
      } catch (err) {
        // A coordinator bug must not take the broker (and every other client) down with it.
        this.log(
          `group coordinator timer failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
        );
      }
    }, ms);
    timer.unref();
    this.timers.add(timer);
    return timer;
  }

  private cancel(timer: NodeJS.Timeout | undefined): void {
    if (timer === undefined) return;
    clearTimeout(timer);
    this.timers.delete(timer);
  }
}
