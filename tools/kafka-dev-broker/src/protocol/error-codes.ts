// Kafka protocol error codes (org.apache.kafka.common.protocol.Errors) answered outside the group coordinator,
// which has its own list in ../groups/error-codes.ts.
export const NONE = 0;
export const OFFSET_OUT_OF_RANGE = 1;
export const CORRUPT_MESSAGE = 2;
export const UNKNOWN_TOPIC_OR_PARTITION = 3;
export const MESSAGE_TOO_LARGE = 10;
export const INVALID_TOPIC_EXCEPTION = 17;
export const INVALID_REQUIRED_ACKS = 21;
export const INVALID_TIMESTAMP = 32;
export const UNSUPPORTED_VERSION = 35;
export const TOPIC_ALREADY_EXISTS = 36;
export const INVALID_PARTITIONS = 37;
export const INVALID_REPLICATION_FACTOR = 38;
export const INVALID_REPLICA_ASSIGNMENT = 39;
export const INVALID_REQUEST = 42;
export const UNSUPPORTED_FOR_MESSAGE_FORMAT = 43;
export const OUT_OF_ORDER_SEQUENCE_NUMBER = 45;
export const INVALID_PRODUCER_EPOCH = 47;
export const TRANSACTIONAL_ID_AUTHORIZATION_FAILED = 53;
