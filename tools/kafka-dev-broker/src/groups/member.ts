import type { JoinGroupProtocol, JoinGroupResponse, SyncGroupResponse } from './types';

export const EMPTY_BUFFER = Buffer.alloc(0);

/** One member of a classic group, as the coordinator tracks it between requests. */
export class Member {
  assignment: Buffer = EMPTY_BUFFER;
  /** Set while the member's JoinGroup is parked until the rebalance completes. */
  joinWaiter: ((response: JoinGroupResponse) => void) | undefined;
  /** Set while a follower's SyncGroup is parked until the leader sends the assignment. */
  syncWaiter: ((response: SyncGroupResponse) => void) | undefined;
  sessionTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly memberId: string,
    public groupInstanceId: string | null,
    public clientId: string,
    public clientHost: string,
    public sessionTimeoutMs: number,
    public rebalanceTimeoutMs: number,
    public protocolType: string,
    public protocols: JoinGroupProtocol[],
  ) {}

  get isAwaitingJoin(): boolean {
    return this.joinWaiter !== undefined;
  }

  get isAwaitingSync(): boolean {
    return this.syncWaiter !== undefined;
  }

  supports(protocolName: string): boolean {
    return this.protocols.some((p) => p.name === protocolName);
  }

  metadataFor(protocolName: string): Buffer {
    return this.protocols.find((p) => p.name === protocolName)?.metadata ?? EMPTY_BUFFER;
  }

  /** Same protocols, in the same order of preference, with the same metadata bytes. */
  matches(protocols: JoinGroupProtocol[]): boolean {
    return (
      protocols.length === this.protocols.length &&
      protocols.every(
        (p, i) => p.name === this.protocols[i].name && p.metadata.equals(this.protocols[i].metadata),
      )
    );
  }

  /** The member's most preferred protocol among those every member supports. */
  vote(candidates: ReadonlySet<string>): string | undefined {
    return this.protocols.find((p) => candidates.has(p.name))?.name;
  }
}
