import type { Upcaster } from '../consumer/event-registry';

/**
 * The upcasters Tandem ships, one per pair of consecutive major versions of an event (`defineUpcaster`): the
 * consumer package's decoder applies them, so a consumer that handles only the newest version still reads events
 * of older ones.
 */
export const UPCASTERS: readonly Upcaster[] = [];
