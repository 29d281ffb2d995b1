/** A Kafka message as the runtime sees it, independent of kafkajs so that the core is testable without a broker. */
export interface IncomingMessage {
  topic: string;
  partition: number;
  /** Kafka offsets are int64: kept as the decimal string kafkajs gives. */
  offset: string;
  key: Buffer | string | null;
  value: Buffer | string | null;
  headers: Record<string, Buffer | string | undefined | Array<Buffer | string>>;
}
