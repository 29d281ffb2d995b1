// Differential conformance: every scenario runs once on the dev broker and once on Apache Kafka and asserts the
// same observable outcome on both. A difference is either fixed in the dev broker or, when deliberate, pinned in
// scenarios/differences.ts and listed in the README's "Differences from Apache Kafka".
import { apacheKafkaAvailable, useBroker, type BrokerKind } from './broker-under-test';
import { differenceScenarios } from './scenarios/differences';
import { groupScenarios } from './scenarios/groups';
import { kcatScenarios } from './scenarios/kcat';
import { produceFetchScenarios } from './scenarios/produce-fetch';
import { topicsOffsetsScenarios } from './scenarios/topics-offsets';

jest.setTimeout(60_000);

const brokers: Array<[string, BrokerKind, boolean]> = [
  ['the dev broker', 'dev', true],
  ['Apache Kafka', 'apache', apacheKafkaAvailable()],
];

describe.each(brokers)('on %s', (_label, kind, available) => {
  if (!available) {
    it.skip('needs Java or TEST_KAFKA_BROKERS', () => undefined);
    return;
  }
  const broker = useBroker(kind);
  produceFetchScenarios(broker);
  topicsOffsetsScenarios(broker);
  groupScenarios(broker);
  kcatScenarios(broker);
  differenceScenarios(broker);
});
