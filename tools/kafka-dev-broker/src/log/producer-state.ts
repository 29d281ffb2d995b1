import { INVALID_PRODUCER_EPOCH, OUT_OF_ORDER_SEQUENCE_NUMBER } from '../protocol/error-codes';

const INT32_MAX = 0x7fff_ffff;
/** Kafka keeps the metadata of this many batches per producer and partition for duplicate detection. */
const RETAINED_BATCHES = 5;

interface RetainedBatch {
  baseSequence: number;
  lastSequence: number;
  baseOffset: number;
}

interface ProducerEntry {
  epoch: number;
  batches: RetainedBatch[];
}

export type SequenceCheck =
  | { kind: 'append' }
  | { kind: 'duplicate'; baseOffset: number }
  | { kind: 'refuse'; errorCode: number; reason: string };

/** Sequence numbers wrap from INT32_MAX to 0. */
export function addSequence(sequence: number, delta: number): number {
  return sequence > INT32_MAX - delta ? delta - (INT32_MAX - sequence) - 1 : sequence + delta;
}

function follows(lastSequence: number, nextSequence: number): boolean {
  return nextSequence === addSequence(lastSequence, 1);
}

/**
 * Idempotent-producer bookkeeping for one partition, following Kafka's ProducerStateManager: the last five
 * batches per producer id detect a retry whose response was lost, and sequence numbers detect a gap.
 */
export class ProducerStateTable {
  private readonly producers = new Map<bigint, ProducerEntry>();

  check(producerId: bigint, epoch: number, baseSequence: number, lastSequence: number): SequenceCheck {
    const entry = this.producers.get(producerId);
    // No state (a new producer, or its state was never seen): any sequence is accepted, as in Kafka since KIP-360.
    if (!entry) return { kind: 'append' };
    if (epoch < entry.epoch) {
      return {
        kind: 'refuse',
        errorCode: INVALID_PRODUCER_EPOCH,
        reason: `producer ${producerId} epoch ${epoch} is older than ${entry.epoch}`,
      };
    }
    if (epoch > entry.epoch) {
      if (baseSequence === 0) return { kind: 'append' };
      return {
        kind: 'refuse',
        errorCode: OUT_OF_ORDER_SEQUENCE_NUMBER,
        reason: `producer ${producerId} new epoch ${epoch} starts at sequence ${baseSequence}, not 0`,
      };
    }
    for (const batch of entry.batches) {
      if (batch.baseSequence === baseSequence && batch.lastSequence === lastSequence) {
        return { kind: 'duplicate', baseOffset: batch.baseOffset };
      }
    }
    const last = entry.batches[entry.batches.length - 1];
    if (last && !follows(last.lastSequence, baseSequence)) {
      return {
        kind: 'refuse',
        errorCode: OUT_OF_ORDER_SEQUENCE_NUMBER,
        reason: `producer ${producerId} sent sequence ${baseSequence}, expected ${addSequence(last.lastSequence, 1)}`,
      };
    }
    return { kind: 'append' };
  }

  record(
    producerId: bigint,
    epoch: number,
    baseSequence: number,
    lastSequence: number,
    baseOffset: number,
  ): void {
    let entry = this.producers.get(producerId);
    if (!entry || entry.epoch !== epoch) {
      entry = { epoch, batches: [] };
      this.producers.set(producerId, entry);
    }
    entry.batches.push({ baseSequence, lastSequence, baseOffset });
    if (entry.batches.length > RETAINED_BATCHES) entry.batches.shift();
  }

  /** The highest producer id seen, so ids handed out after a restart never collide with stored ones. */
  maxProducerId(): bigint {
    let max = -1n;
    for (const id of this.producers.keys()) if (id > max) max = id;
    return max;
  }
}
