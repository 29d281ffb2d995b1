import { Kafka, logLevel, type Admin } from 'kafkajs';
import { waitUntil } from './wait';

/** A kafkajs client for tests: quiet unless KAFKAJS_LOG is set, fast retries against a local broker. */
export function kafkaClient(bootstrap: string, clientId = 'test'): Kafka {
  return new Kafka({
    clientId,
    brokers: [bootstrap],
    logLevel: process.env.KAFKAJS_LOG ? logLevel.INFO : logLevel.NOTHING,
    retry: { initialRetryTime: 100, retries: 10 },
  });
}

export async function waitForGroup(
  admin: Admin,
  groupId: string,
  memberCount: number,
  timeoutMs = 30_000,
): Promise<void> {
  await waitUntil(
    `group ${groupId} to be Stable with ${memberCount} members`,
    async () => {
      const { groups } = await admin.describeGroups([groupId]);
      const group = groups[0];
      return group?.state === 'Stable' && group.members.length === memberCount;
    },
    timeoutMs,
  );
}
