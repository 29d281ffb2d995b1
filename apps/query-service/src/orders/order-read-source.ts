import { ORDER_SUMMARY_PROJECTION } from '@tandem/read/models';
import type { ReadSource } from '../freshness/read-freshness';

/** Order reads answer from the order-summary projection, which checkpoints order streams only. */
export const ORDER_READ_SOURCE: ReadSource = { projection: ORDER_SUMMARY_PROJECTION, streams: ['order'] };
