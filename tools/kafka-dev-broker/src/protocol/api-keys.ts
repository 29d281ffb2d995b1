// The APIs this broker answers and the highest version of each. Every minimum is 0: librdkafka enables record
// batch v2, consumer groups and idempotence only when the advertised range reaches down to fixed old versions.
export const API = {
  Produce: 0,
  Fetch: 1,
  ListOffsets: 2,
  Metadata: 3,
  OffsetCommit: 8,
  OffsetFetch: 9,
  FindCoordinator: 10,
  JoinGroup: 11,
  Heartbeat: 12,
  LeaveGroup: 13,
  SyncGroup: 14,
  DescribeGroups: 15,
  ListGroups: 16,
  ApiVersions: 18,
  CreateTopics: 19,
  DeleteTopics: 20,
  InitProducerId: 22,
} as const;

export type ApiName = keyof typeof API;

export interface ApiRange {
  key: number;
  name: ApiName;
  minVersion: number;
  maxVersion: number;
  /** First version using the flexible (KIP-482) request header; only ApiVersions reaches one here. */
  firstFlexibleVersion: number;
}

const MAX_VERSIONS: Record<ApiName, number> = {
  Produce: 7,
  Fetch: 11,
  ListOffsets: 2,
  Metadata: 4,
  OffsetCommit: 5,
  OffsetFetch: 4,
  FindCoordinator: 2,
  JoinGroup: 5,
  Heartbeat: 3,
  LeaveGroup: 1,
  SyncGroup: 3,
  DescribeGroups: 2,
  ListGroups: 2,
  ApiVersions: 3,
  CreateTopics: 3,
  DeleteTopics: 1,
  InitProducerId: 1,
};

const NEVER = Number.MAX_SAFE_INTEGER;

export const SUPPORTED_APIS: readonly ApiRange[] = (Object.keys(API) as ApiName[])
  .map((name) => ({
    key: API[name],
    name,
    minVersion: 0,
    maxVersion: MAX_VERSIONS[name],
    firstFlexibleVersion: name === 'ApiVersions' ? 3 : NEVER,
  }))
  .sort((a, b) => a.key - b.key);

const BY_KEY = new Map(SUPPORTED_APIS.map((api) => [api.key, api]));

export function apiRange(key: number): ApiRange | undefined {
  return BY_KEY.get(key);
}
