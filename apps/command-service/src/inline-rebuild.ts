import { INLINE_MODEL_NAMES, INLINE_MODELS, type InlineModelName } from '@tandem/inline-models';
import type { Logger } from '@tandem/platform/observability';
import {
  createWriteDataSource,
  InlineCatchUp,
  InlineProjections,
  type InlineFillReport,
} from '@tandem/write/persistence';
import { SERVICE_NAME } from './config';

export class UnknownInlineModel extends Error {
  override readonly name = 'UnknownInlineModel';
}

/**
 * `main.js inline-rebuild <model>` (`npm run inline:rebuild -- <model>`): empties one inline model and fills it
 * again from the event store, in one transaction, while the services run (their commands that apply an inline
 * model wait for it; reads see the old rows until it commits).
 */
export async function rebuildInlineModel(
  url: string,
  name: string | undefined,
  logger: Logger,
): Promise<InlineFillReport> {
  if (name === undefined || !(INLINE_MODEL_NAMES as readonly string[]).includes(name)) {
    throw new UnknownInlineModel(
      `name the inline model to rebuild (${name === undefined ? 'none given' : `not ${name}`}): ${INLINE_MODEL_NAMES.join(', ')}`,
    );
  }
  const model = INLINE_MODELS[name as InlineModelName];
  const dataSource = createWriteDataSource({
    url,
    poolSize: 1,
    applicationName: `${SERVICE_NAME}-inline-rebuild`,
  });
  await dataSource.initialize();
  try {
    const report = await new InlineCatchUp(dataSource, new InlineProjections([model])).rebuild(model.name);
    logger.info(report, `inline model ${model.name} rebuilt from ${report.events} events in ${report.ms} ms`);
    return report;
  } finally {
    await dataSource.destroy();
  }
}
