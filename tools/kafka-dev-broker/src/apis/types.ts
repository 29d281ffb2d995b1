import type { Broker } from '../broker';
import type { Reader } from '../protocol/reader';
import type { Writer } from '../protocol/writer';

/** Encodes a response body once the request has been handled. */
export type ResponseBody = (w: Writer) => void;

/** null: the request gets no response at all (produce with acks=0). */
export type HandlerResult = ResponseBody | null;

export interface RequestContext {
  readonly broker: Broker;
  readonly apiVersion: number;
  /**
   * The request's bytes sit in a buffer of their own, not shared with other requests: byte fields may be kept
   * as views instead of copied (record batches of large produce requests).
   */
  readonly ownsFrame: boolean;
  readonly clientId: string;
  /** As Kafka shows it in DescribeGroups: "/" and the peer address. */
  readonly clientHost: string;
  /** One log line about this request, prefixed with the peer and API. */
  log(line: string): void;
  /** Runs `listener` when the connection closes; returns an unsubscribe function. */
  onClose(listener: () => void): () => void;
}

/** Decodes a request body (the reader is past the header), acts on it and returns its response body. */
export type ApiHandler = (ctx: RequestContext, r: Reader) => HandlerResult | Promise<HandlerResult>;
