import { decodeConsistencyToken, type CommandStatus, type ConsistencyToken } from '@tandem/contracts';
import type { CommandRecord } from '@tandem/write/persistence';

/**
 * The write side's part of a command's status, from what the write DB keeps under its key: `rejected` with its
 * problem, or `committed` with its answer and events, `published` once every event's outbox row was relayed.
 * (`projected` is the read side's to say: the gateway asks the query service with the answer's token.)
 * `reissue` signs the answer's consistency token again for the caller asking, who may be staff, not the sender.
 */
export function writeSideStatus(
  idempotencyKey: string,
  record: CommandRecord,
  reissue: (token: ConsistencyToken) => string,
): CommandStatus {
  if ('rejected' in record) {
    const { problem, rejectedAt, attempts } = record.rejected;
    return {
      idempotencyKey,
      status: 'rejected',
      problem: problem as CommandStatus['problem'],
      rejectedAt,
      attempts,
    };
  }
  const { answer, events, claimedAt } = record.accepted;
  const token = tokenOf(answer.body.consistencyToken);
  const status: CommandStatus = {
    idempotencyKey,
    status: 'committed',
    answer: { ...answer.body, consistencyToken: token ? reissue(token) : answer.body.consistencyToken },
    committedAt: latest(events?.map((event) => event.recordedAt) ?? []) ?? claimedAt,
  };
  // A key stored before its events were kept: committed is all that is known.
  if (events === null) return status;
  const unpublished = events.some((event) => event.publishedAt === null);
  const publishedAt = unpublished
    ? null
    : (latest(events.flatMap((e) => e.publishedAt ?? [])) ?? status.committedAt);
  return {
    ...status,
    status: unpublished ? 'committed' : 'published',
    events: events.map(({ eventId, type, streamId, version, recordedAt, publishedAt: at }) => ({
      eventId,
      type,
      streamId,
      version,
      recordedAt,
      publishedAt: at,
    })),
    publishedAt: publishedAt ?? null,
  };
}

/** The stream and version the answer's token names (the part before its signature). */
function tokenOf(raw: string): ConsistencyToken | null {
  const dot = raw.lastIndexOf('.');
  const token = decodeConsistencyToken(dot === -1 ? raw : raw.slice(0, dot));
  return 'error' in token ? null : token;
}

function latest(times: readonly string[]): string | undefined {
  return times.reduce<string | undefined>((max, at) => (max === undefined || at > max ? at : max), undefined);
}
