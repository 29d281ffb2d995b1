import { EMPTY_BUFFER, type Member } from './member';
import type { DescribedGroup, JoinGroupResponseMember } from './types';

export type GroupState = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable' | 'Dead';

// Kafka's GroupMetadata allows exactly these transitions; anything else is a coordinator bug, and failing loudly
// beats answering clients from an impossible state.
const VALID_PREVIOUS_STATES: Record<GroupState, readonly GroupState[]> = {
  Empty: ['PreparingRebalance'],
  PreparingRebalance: ['Stable', 'CompletingRebalance', 'Empty'],
  CompletingRebalance: ['PreparingRebalance'],
  Stable: ['CompletingRebalance'],
  Dead: ['Stable', 'PreparingRebalance', 'CompletingRebalance', 'Empty', 'Dead'],
};

/** While set, the first rebalance of an empty group is held back so members starting together share it. */
export interface InitialDelay {
  remainingMs: number;
  newMemberAdded: boolean;
}

/** Per-group state of the classic protocol; the coordinator drives it and owns the timers stored here. */
export class Group {
  state: GroupState = 'Empty';
  generationId = 0;
  protocolType: string | null = null;
  protocolName: string | null = null;
  leaderId: string | null = null;
  /** Insertion order matters: the first remaining member becomes leader when the leader goes. */
  readonly members = new Map<string, Member>();
  /** Member ids handed out with MEMBER_ID_REQUIRED, and the timer that forgets each one. */
  readonly pendingMembers = new Map<string, NodeJS.Timeout>();
  /** Members of the current generation that have not sent SyncGroup yet. */
  readonly pendingSync = new Set<string>();
  joinTimer: NodeJS.Timeout | undefined;
  syncTimer: NodeJS.Timeout | undefined;
  initialDelay: InitialDelay | undefined;
  rebalanceStartedAt = 0;

  constructor(readonly groupId: string) {}

  transitionTo(next: GroupState): void {
    if (!VALID_PREVIOUS_STATES[next].includes(this.state)) {
      throw new Error(`group ${this.groupId}: illegal transition ${this.state} -> ${next}`);
    }
    this.state = next;
  }

  add(member: Member): void {
    if (this.members.size === 0) this.protocolType = member.protocolType;
    this.members.set(member.memberId, member);
    if (this.leaderId === null) this.leaderId = member.memberId;
  }

  remove(memberId: string): void {
    this.members.delete(memberId);
    this.pendingSync.delete(memberId);
    if (this.leaderId === memberId) {
      const next = this.members.keys().next();
      this.leaderId = next.done ? null : next.value;
    }
  }

  isLeader(memberId: string): boolean {
    return this.leaderId === memberId;
  }

  /**
   * A joining member must share the group's protocol type and at least one protocol with every current member
   * (Kafka's GroupMetadata.supportsProtocols).
   */
  supportsProtocols(protocolType: string, protocolNames: readonly string[]): boolean {
    if (this.state === 'Empty') return protocolType !== '' && protocolNames.length > 0;
    if (this.protocolType !== protocolType) return false;
    const members = [...this.members.values()];
    return protocolNames.some((name) => members.every((m) => m.supports(name)));
  }

  /** Pending members count too: they were told to come back, and the rebalance waits for them. */
  hasAllMembersJoined(): boolean {
    return this.pendingMembers.size === 0 && [...this.members.values()].every((m) => m.isAwaitingJoin);
  }

  notYetRejoined(): Member[] {
    return [...this.members.values()].filter((m) => !m.isAwaitingJoin);
  }

  rebalanceTimeoutMs(): number {
    let max = 0;
    for (const m of this.members.values()) max = Math.max(max, m.rebalanceTimeoutMs);
    return max;
  }

  /** Like Kafka: every member votes for its favourite among the protocols all support; the most votes win. */
  selectProtocol(): string {
    const members = [...this.members.values()];
    if (members.length === 0) throw new Error(`group ${this.groupId}: no members to select a protocol for`);
    const candidates = new Set(
      members[0].protocols.map((p) => p.name).filter((name) => members.every((m) => m.supports(name))),
    );
    if (candidates.size === 0) throw new Error(`group ${this.groupId}: members share no protocol`);
    const votes = new Map<string, number>();
    for (const m of members) {
      const choice = m.vote(candidates);
      if (choice !== undefined) votes.set(choice, (votes.get(choice) ?? 0) + 1);
    }
    let best = '';
    let bestVotes = -1;
    // Ties go to the protocol the oldest member prefers most, so the choice is deterministic.
    for (const name of candidates) {
      const count = votes.get(name) ?? 0;
      if (count > bestVotes) {
        best = name;
        bestVotes = count;
      }
    }
    return best;
  }

  /** Returns the state the group lands in: CompletingRebalance, or Empty when nobody rejoined. */
  initNextGeneration(): GroupState {
    this.generationId += 1;
    if (this.members.size > 0) {
      this.protocolName = this.selectProtocol();
      this.transitionTo('CompletingRebalance');
    } else {
      this.protocolName = null;
      this.transitionTo('Empty');
    }
    return this.state;
  }

  /** What the leader needs to compute an assignment: every member's metadata for the chosen protocol. */
  currentMemberMetadata(): JoinGroupResponseMember[] {
    const protocol = this.protocolName ?? '';
    return [...this.members.values()].map((m) => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      metadata: m.metadataFor(protocol),
    }));
  }

  /** Kafka shows metadata and assignments only once the group is Stable; before that they are in flux. */
  describe(): DescribedGroup {
    const stable = this.state === 'Stable' && this.protocolName !== null;
    const protocol = this.protocolName ?? '';
    return {
      errorCode: 0,
      groupId: this.groupId,
      groupState: this.state,
      protocolType: this.protocolType ?? '',
      protocolData: stable ? protocol : '',
      members: [...this.members.values()].map((m) => ({
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        memberMetadata: stable ? m.metadataFor(protocol) : EMPTY_BUFFER,
        memberAssignment: stable ? m.assignment : EMPTY_BUFFER,
      })),
    };
  }
}
