import type { Pool } from 'pg';
import type { CommandRecord } from '../load/load';
import { CUSTOMER_TOPIC, EVENT_VERSION_ON, gatherEvidence, ORDER_TOPICS, type TracedEvent } from './evidence';
import { foldModels } from './fold';
import { checkReadSide } from './read-side';
import { readStreams } from './topic-order';

/** The event each acknowledged command must have recorded, by the command's kind. */
const EVENT_OF: Record<string, string> = {
  RegisterCustomer: 'CustomerRegistered',
  ChangeCreditLimit: 'CustomerCreditLimitChanged',
  CreateOrder: 'OrderCreated',
  AddOrderLine: 'OrderLineAdded',
  RemoveOrderLine: 'OrderLineRemoved',
  PlaceOrder: 'OrderPlaced',
  ShipOrder: 'OrderShipped',
  CancelOrder: 'OrderCancelled',
};

export interface CheckResult {
  commands: number;
  acknowledged: number;
  /** Acknowledged commands whose event is not in the write DB (or, for customers, not on Kafka). */
  lost: number;
  /** Their Idempotency-Keys, to tell which fault lost them. */
  lostKeys: string[];
  /** Commands recorded twice, and read-model rows counting an effect twice. */
  doubled: number;
  mismatchedRows: number;
  /** Records on the topics that repeat an event (at-least-once: expected after some faults). */
  duplicatesOnKafka: number;
  events: number;
  failures: string[];
  ok: boolean;
}

export interface Injected {
  /** Event ids and stream ids of the poison put on the order topic. */
  poisonIds: Set<string>;
  poisonStreams: Set<string>;
}

/**
 * The independent checker, written without the projections' code: plain SQL over the write DB, a plain read of the
 * topics, and a replay folded here (fold.ts). It holds the system to what the API acknowledged: every acknowledged
 * command's event is in the write DB once; the outbox is drained (both deliveries of each row); every event is on
 * its topic (an order event on orders.order.v2 and on orders.order.v1, each at the version that topic carries), per
 * aggregate in version order (duplicates counted); every read model equals the replay row by row; checkpoints stand at each
 * stream's last version; dead letters exist only for injected poison; no command was left without an answer.
 */
export async function check(
  writeDb: Pool,
  readDb: Pool,
  bootstrap: string,
  records: readonly CommandRecord[],
  injected: Injected,
): Promise<CheckResult> {
  const evidence = await gatherEvidence(writeDb, bootstrap);
  const failures: string[] = [];
  const customers = readStreams(CUSTOMER_TOPIC, evidence.customerTopic, new Set());
  failures.push(...customers.failures);
  if (evidence.unpublished > 0)
    failures.push(`${evidence.unpublished} outbox rows with a delivery never made`);

  // Every order event of the write DB is on each order topic, at the version that topic carries, and nothing else.
  const stored = new Map<string, TracedEvent>();
  for (const events of evidence.orderStreams.values())
    for (const event of events) stored.set(event.eventId, event);
  let orderDuplicates = 0;
  for (const topic of ORDER_TOPICS) {
    const orders = readStreams(
      topic,
      evidence.orderTopics.get(topic) ?? [],
      new Set([...injected.poisonIds, ...injected.poisonStreams]),
    );
    failures.push(...orders.failures);
    orderDuplicates += orders.duplicates;
    const missing = [...stored.keys()].filter((id) => !orders.ids.has(id));
    const phantom = [...orders.ids].filter((id) => !stored.has(id));
    if (missing.length > 0)
      failures.push(`${missing.length} order events of the write DB are not on ${topic}`);
    if (phantom.length > 0) failures.push(`${phantom.length} events on ${topic} are not in the write DB`);
    const misversioned = [...orders.streams.values()]
      .flat()
      .filter((e) => e.schemaVersion !== EVENT_VERSION_ON[topic](e.type));
    if (misversioned.length > 0)
      failures.push(
        `${misversioned.length} events on ${topic} at a version it does not carry, e.g. ${misversioned[0]?.type}.v${misversioned[0]?.schemaVersion}`,
      );
  }
  // Customers are state-stored: their row must be what their events on Kafka say.
  for (const [id, row] of evidence.customers) {
    const events = customers.streams.get(id) ?? [];
    const registered = events.find((e) => e.type === 'CustomerRegistered');
    const lastLimit = [...events].reverse().find((e) => 'creditLimit' in e.data);
    const onKafka = `${String(registered?.data['email'])}/${String(lastLimit?.data['creditLimit'])}/${events.length}`;
    if (onKafka !== `${row.email}/${row.creditLimit}/${row.version}`) {
      failures.push(
        `customer ${id}: the write DB says ${row.email}/${row.creditLimit}/v${row.version}, Kafka ${onKafka}`,
      );
    }
  }

  // Each acknowledged command is recorded, as its event, exactly once.
  const byStream = new Map<string, TracedEvent[]>([...evidence.orderStreams, ...customers.streams]);
  const commands = records.filter((r) => r.kind !== 'Read');
  const lostKeys: string[] = [];
  for (const record of commands.filter((r) => r.outcome === 'acknowledged')) {
    const event = byStream.get(record.id ?? '')?.find((e) => e.version === record.version);
    if (!event || event.type !== EVENT_OF[record.kind] || event.causation !== record.key) {
      lostKeys.push(record.key);
      if (lostKeys.length <= 3)
        failures.push(
          `lost: ${record.kind} ${record.id ?? '?'} v${String(record.version)} (key ${record.key})`,
        );
    }
  }
  const causes = new Map<string, number>();
  for (const events of byStream.values())
    for (const e of events) causes.set(e.causation, (causes.get(e.causation) ?? 0) + 1);
  const doubledCommands = [...causes].filter(([, n]) => n > 1);
  if (doubledCommands.length > 0) failures.push(`${doubledCommands.length} commands recorded more than once`);
  const unresolved = records.filter((r) => r.outcome === 'unresolved');
  if (unresolved.length > 0) {
    const example = unresolved[0];
    failures.push(
      `${unresolved.length} requests still failing (5xx or no answer) after retries, e.g. ${example?.method} ${example?.path}: ${example?.attempts.slice(-3).join(',')}`,
    );
  }

  const expected = foldModels(evidence.orderStreams, customers.streams);
  const read = await checkReadSide(
    readDb,
    expected,
    evidence.orderStreams,
    customers.streams,
    injected.poisonStreams,
  );
  failures.push(...read.failures);
  const doubled = doubledCommands.length + read.doubled;
  return {
    commands: commands.length,
    acknowledged: commands.filter((r) => r.outcome === 'acknowledged').length,
    lost: lostKeys.length,
    lostKeys,
    doubled,
    mismatchedRows: read.mismatchedRows,
    duplicatesOnKafka: orderDuplicates + customers.duplicates,
    events: stored.size + customers.ids.size,
    failures,
    ok: failures.length === 0 && lostKeys.length === 0 && doubled === 0 && read.mismatchedRows === 0,
  };
}
