import type { Consumer } from 'kafkajs';
import { createLogger } from '@tandem/platform/observability';
import { DeferredOffsetCommits } from './offset-commit';

const logger = createLogger('offset-commit-test', 'silent');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A consumer that records the offsets it was asked to commit. */
function recordingConsumer(): Consumer & { commits: Array<Array<{ partition: number; offset: string }>> } {
  const commits: Array<Array<{ partition: number; offset: string }>> = [];
  return {
    commits,
    commitOffsets: async (offsets: Array<{ partition: number; offset: string }>) => {
      commits.push(offsets.map(({ partition, offset }) => ({ partition, offset })));
    },
  } as unknown as Consumer & { commits: typeof commits };
}

const at = (partition: number, offset: number) => ({ topic: 't', partition, offset: String(offset) });

describe('deferred offset commits', () => {
  it('commits the first batch at once, then the latest offset of each partition once per interval', async () => {
    const consumer = recordingConsumer();
    const commits = new DeferredOffsetCommits(100, () => consumer, logger, 'g');
    await commits.note(consumer, [at(0, 1)], false);
    expect(consumer.commits).toEqual([[{ partition: 0, offset: '1' }]]);
    await commits.note(consumer, [at(0, 2), at(1, 5)], false);
    await commits.note(consumer, [at(0, 3)], false);
    expect(consumer.commits).toHaveLength(1);
    await sleep(200);
    expect(consumer.commits).toEqual([
      [{ partition: 0, offset: '1' }],
      [
        { partition: 0, offset: '3' },
        { partition: 1, offset: '5' },
      ],
    ]);
  });

  it('commits at once when asked (stopping), and flushes what is pending', async () => {
    const consumer = recordingConsumer();
    const commits = new DeferredOffsetCommits(60_000, () => consumer, logger, 'g');
    await commits.note(consumer, [at(0, 1)], false);
    await commits.note(consumer, [at(0, 2)], false);
    expect(consumer.commits).toHaveLength(1);
    await commits.flush();
    await commits.note(consumer, [at(0, 3)], true);
    expect(consumer.commits.map((c) => c[0]?.offset)).toEqual(['1', '2', '3']);
    commits.clear();
  });

  it('commits nothing for a consumer that was replaced, and drops its pending offsets', async () => {
    const old = recordingConsumer();
    const replacement = recordingConsumer();
    let current: Consumer = old;
    const commits = new DeferredOffsetCommits(60_000, () => current, logger, 'g');
    await commits.note(old, [at(0, 1)], false);
    await commits.note(old, [at(0, 2)], false);
    current = replacement;
    await commits.flush();
    expect(old.commits).toHaveLength(1);
    await commits.note(replacement, [at(0, 1)], true);
    expect(replacement.commits).toEqual([[{ partition: 0, offset: '1' }]]);
  });

  it('keeps the offsets of a failed commit for the next one', async () => {
    const consumer = recordingConsumer();
    let failing = true;
    const commitOffsets = consumer.commitOffsets.bind(consumer);
    consumer.commitOffsets = async (offsets) => {
      if (failing) throw new Error('broker away');
      return commitOffsets(offsets);
    };
    const commits = new DeferredOffsetCommits(60_000, () => consumer, logger, 'g');
    await expect(commits.note(consumer, [at(0, 4), at(1, 9)], true)).rejects.toThrow('broker away');
    failing = false;
    await commits.note(consumer, [at(0, 5)], true);
    expect(consumer.commits).toEqual([
      [
        { partition: 0, offset: '5' },
        { partition: 1, offset: '9' },
      ],
    ]);
  });
});
