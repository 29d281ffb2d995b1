import { byProjectionName, type ProjectionName } from '@tandem/read/models';
import { projectionOf } from '../read-model-projection';
import type { Projection } from './projection';

/** Every projection the projection service runs, by name: one per async read model, derived from its definition. */
export const PROJECTIONS: Record<ProjectionName, Projection> = byProjectionName(projectionOf);
