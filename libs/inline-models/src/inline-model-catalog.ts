import type { ConsumedEvent } from '@tandem/contracts';
import type { ReadModel } from '@tandem/platform/read-model';
import { customerExposureModel } from './customer-exposure/customer-exposure.model';

/** Every model that can run inline, by name: the command service registers those `INLINE_PROJECTIONS` names. */
export const INLINE_MODELS = {
  'customer-exposure': customerExposureModel,
} as const satisfies Record<string, ReadModel<ConsumedEvent>>;

export type InlineModelName = keyof typeof INLINE_MODELS;
export const INLINE_MODEL_NAMES = Object.keys(INLINE_MODELS) as InlineModelName[];
