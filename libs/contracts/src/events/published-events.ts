import type { EventDefinition } from '../event-definition';
import { EVENT_CATALOG } from './event-catalog';

/**
 * Every event version Tandem publishes on Kafka: the current version of each event (`EVENT_CATALOG`) and, during
 * its deprecation window, any older major version still published beside it. The JSON Schemas, the AsyncAPI
 * document, the compatibility gate (`npm run contracts:check`) and the consumer package's decoder all read this
 * list, so a version added here appears in all of them.
 */
export const PUBLISHED_EVENTS: readonly EventDefinition[] = Object.values(EVENT_CATALOG);
