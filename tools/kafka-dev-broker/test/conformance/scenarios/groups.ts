import { type ChildProcess, fork } from 'node:child_process';
import path from 'node:path';
import { AssignerProtocol, type Consumer } from 'kafkajs';
import { waitForGroup } from '../../helpers/kafka';
import { REBALANCE_CONSUMER_CONFIG } from '../../helpers/rebalance-config';
import { waitUntil } from '../../helpers/wait';
import type { BrokerUnderTest } from '../broker-under-test';
import { connectedAdmin, createTopic } from '../clients';

const PARTITIONS = 6;

/** A kafkajs consumer in a child process (test/helpers/child-consumer.ts), so SIGKILL leaves no LeaveGroup behind. */
async function startChildConsumer(b: BrokerUnderTest, topic: string, group: string): Promise<ChildProcess> {
  const child = fork(path.join(__dirname, '..', '..', 'helpers', 'child-consumer.ts'), [], {
    cwd: path.resolve(__dirname, '../../../../..'),
    execArgv: ['-r', '@swc-node/register'],
    env: { ...process.env, BOOTSTRAP: b.bootstrap, GROUP: group, TOPIC: topic },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  b.closeLater(child, (c) => c.kill('SIGKILL'));
  await new Promise<void>((ready, fail) => {
    child.on('message', (msg: unknown) => {
      if (msg === 'running') ready();
    });
    child.once('exit', (code) => fail(new Error(`child consumer exited with ${code}`)));
  });
  return child;
}

export function groupScenarios(broker: () => BrokerUnderTest): void {
  describe('consumer groups', () => {
    it('spreads 6 partitions over 3 members, and gives a killed member’s partitions to the others after the session timeout', async () => {
      const b = broker();
      const topic = await createTopic(b, 'group-topic', PARTITIONS);
      const group = b.name('three-members');
      const admin = await connectedAdmin(b);
      const seen = new Map<string, Set<number>>();
      const start = async (name: string): Promise<Consumer> => {
        const consumer = b.closeLater(
          b.kafka(name).consumer({ groupId: group, ...REBALANCE_CONSUMER_CONFIG }),
          (c) => c.disconnect(),
        );
        await consumer.connect();
        await consumer.subscribe({ topic, fromBeginning: true });
        await consumer.run({
          eachMessage: async ({ message }) => {
            const value = message.value?.toString() ?? '';
            const by = seen.get(value) ?? new Set<number>();
            seen.set(value, by.add(Number(message.offset)));
          },
        });
        return consumer;
      };
      await start('member-a');
      await start('member-b');
      await waitForGroup(admin, group, 2);

      // A third member joins: a rebalance gives every member two partitions.
      const child = await startChildConsumer(b, topic, group);
      await waitForGroup(admin, group, 3);
      const assignments = async (): Promise<number[][]> => {
        const { groups } = await admin.describeGroups([group]);
        return (groups[0]?.members ?? []).map((m) => {
          const decoded = AssignerProtocol.MemberAssignment.decode(m.memberAssignment);
          return (decoded?.assignment[topic] ?? []).slice().sort((x, y) => x - y);
        });
      };
      const three = await assignments();
      expect(three.map((a) => a.length)).toEqual([2, 2, 2]);
      expect(three.flat().sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5]);

      // Killed without LeaveGroup: still a member until its session times out, then the two take everything.
      const killedAt = Date.now();
      child.kill('SIGKILL');
      await waitForGroup(admin, group, 2, 30_000);
      expect(Date.now() - killedAt).toBeGreaterThanOrEqual(
        (REBALANCE_CONSUMER_CONFIG.sessionTimeout ?? 6000) - 1000,
      );
      const two = await assignments();
      expect(two.flat().sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5]);

      const producer = b.closeLater(b.kafka().producer(), (p) => p.disconnect());
      await producer.connect();
      const values = Array.from({ length: 60 }, (_, i) => `after-kill-${i}`);
      await producer.send({ topic, messages: values.map((value, i) => ({ key: `k${i}`, value })) });
      await waitUntil('the two members to read every record', () => values.every((v) => seen.has(v)));
      expect(values.filter((v) => (seen.get(v)?.size ?? 0) !== 1)).toEqual([]);
    });

    it('describes a live group as Stable with its members and protocol, lists it, and shows it Empty after it leaves', async () => {
      const b = broker();
      const topic = await createTopic(b, 'described');
      const group = b.name('described-group');
      const admin = await connectedAdmin(b);
      const consumer = b.kafka('described-member').consumer({ groupId: group, maxWaitTimeInMs: 100 });
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({ eachMessage: async () => undefined });
      await waitForGroup(admin, group, 1);
      const { groups } = await admin.describeGroups([group]);
      expect(groups).toEqual([
        expect.objectContaining({
          groupId: group,
          errorCode: 0,
          state: 'Stable',
          protocolType: 'consumer',
          protocol: 'RoundRobinAssigner',
          members: [
            expect.objectContaining({ clientId: 'described-member', clientHost: expect.any(String) }),
          ],
        }),
      ]);
      const listed = (await admin.listGroups()).groups.filter((g) => g.groupId === group);
      expect(listed).toEqual([{ groupId: group, protocolType: 'consumer' }]);

      await consumer.disconnect();
      const after = await admin.describeGroups([group]);
      expect(after.groups[0]).toMatchObject({ state: 'Empty', members: [] });
      const unknown = await admin.describeGroups([b.name('never-used-group')]);
      expect(unknown.groups[0]).toMatchObject({ errorCode: 0, state: 'Dead', members: [] });
    });

    it('stores committed offsets with their metadata per group, and answers -1 where none was committed', async () => {
      const b = broker();
      const topic = await createTopic(b, 'committed', 2);
      const group = b.name('committer');
      const admin = await connectedAdmin(b);
      const consumer = b.kafka().consumer({ groupId: group, maxWaitTimeInMs: 100 });
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({ autoCommit: false, eachMessage: async () => undefined });
      await waitForGroup(admin, group, 1);
      await consumer.commitOffsets([{ topic, partition: 1, offset: '42' }]);
      await consumer.disconnect();

      const [offsets] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
      expect(offsets?.partitions.sort((x, y) => x.partition - y.partition)).toEqual([
        { partition: 0, offset: '-1', metadata: null },
        { partition: 1, offset: '42', metadata: null },
      ]);
      await admin.setOffsets({ groupId: group, topic, partitions: [{ partition: 0, offset: '7' }] });
      const [again] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
      expect(again?.partitions.find((p) => p.partition === 0)?.offset).toBe('7');
      const [other] = await admin.fetchOffsets({ groupId: b.name('other-group'), topics: [topic] });
      expect(other?.partitions.map((p) => p.offset)).toEqual(['-1', '-1']);
    });
  });
}
