import { z } from 'zod';
import { SkuInput, type PathParamKind } from '@tandem/contracts';
import { isStorableString, parseOrThrow, UNSTORABLE_MESSAGE } from '@tandem/platform/http';

const UuidParam = z.uuid('must be a UUID');

// A path parameter is not seen by the body and query checks: the one free-text parameter gets its own.
const SkuParam = z.string().refine(isStorableString, UNSTORABLE_MESSAGE).pipe(SkuInput);

/** How each kind of path parameter a command table declares is checked; a bad one is a 400 naming it. */
export const PATH_PARAM_PARSERS: Record<PathParamKind, (value: string, name: string) => string> = {
  uuid: (value, name) => parseOrThrow(UuidParam, value, name),
  sku: (value, name) => parseOrThrow(SkuParam, value, name),
};
