// Apache Kafka fetched from Maven Central and run as one KRaft node, for tests, benchmarks and `npm run kafka`.
export { startApacheKafka, type ApacheKafka, type ApacheKafkaOptions } from './apache-kafka';
export { ApacheKafkaUnavailable, ensureApacheKafka, KAFKA_VERSION, type KafkaInstallation } from './install';
