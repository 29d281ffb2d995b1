import { API } from '../protocol/api-keys';
import { apiVersions } from './api-versions';
import { createTopics } from './create-topics';
import { deleteTopics } from './delete-topics';
import { describeGroups } from './describe-groups';
import { fetch } from './fetch';
import { findCoordinator } from './find-coordinator';
import { heartbeat } from './heartbeat';
import { initProducerId } from './init-producer-id';
import { joinGroup } from './join-group';
import { leaveGroup } from './leave-group';
import { listGroups } from './list-groups';
import { listOffsets } from './list-offsets';
import { metadata } from './metadata';
import { offsetCommit } from './offset-commit';
import { offsetFetch } from './offset-fetch';
import { produce } from './produce';
import { syncGroup } from './sync-group';
import type { ApiHandler } from './types';

export { unsupportedApiVersionsBody } from './api-versions';
export type { ApiHandler, RequestContext, ResponseBody, HandlerResult } from './types';

export const HANDLERS: ReadonlyMap<number, ApiHandler> = new Map<number, ApiHandler>([
  [API.Produce, produce],
  [API.Fetch, fetch],
  [API.ListOffsets, listOffsets],
  [API.Metadata, metadata],
  [API.OffsetCommit, offsetCommit],
  [API.OffsetFetch, offsetFetch],
  [API.FindCoordinator, findCoordinator],
  [API.JoinGroup, joinGroup],
  [API.Heartbeat, heartbeat],
  [API.LeaveGroup, leaveGroup],
  [API.SyncGroup, syncGroup],
  [API.DescribeGroups, describeGroups],
  [API.ListGroups, listGroups],
  [API.ApiVersions, apiVersions],
  [API.CreateTopics, createTopics],
  [API.DeleteTopics, deleteTopics],
  [API.InitProducerId, initProducerId],
]);
