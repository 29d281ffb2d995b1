// Kafka protocol error codes answered by the group coordinator (org.apache.kafka.common.protocol.Errors).
export const NONE = 0;
export const UNKNOWN_SERVER_ERROR = -1;
export const OFFSET_METADATA_TOO_LARGE = 12;
export const COORDINATOR_LOAD_IN_PROGRESS = 14;
export const COORDINATOR_NOT_AVAILABLE = 15;
export const ILLEGAL_GENERATION = 22;
export const INCONSISTENT_GROUP_PROTOCOL = 23;
export const INVALID_GROUP_ID = 24;
export const UNKNOWN_MEMBER_ID = 25;
export const INVALID_SESSION_TIMEOUT = 26;
export const REBALANCE_IN_PROGRESS = 27;
export const MEMBER_ID_REQUIRED = 79;
