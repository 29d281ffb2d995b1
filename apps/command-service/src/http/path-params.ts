import { z } from 'zod';
import { SkuInput } from '@tandem/contracts';
import { isStorableString, parseOrThrow, UNSTORABLE_MESSAGE } from '@tandem/platform/http';

export function parseIdParam(id: string): string {
  return parseOrThrow(z.uuid('must be a UUID'), id, 'id');
}

// A path parameter is not seen by the body and query checks: the one free-text parameter gets its own.
const SkuParam = z.string().refine(isStorableString, UNSTORABLE_MESSAGE).pipe(SkuInput);

export function parseSkuParam(sku: string): string {
  return parseOrThrow(SkuParam, sku, 'sku');
}
