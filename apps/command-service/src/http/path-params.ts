import { z } from 'zod';
import { Sku } from '@tandem/contracts';
import { parseOrThrow } from '@tandem/platform/http';

export function parseIdParam(id: string): string {
  return parseOrThrow(z.uuid('must be a UUID'), id, 'id');
}

export function parseSkuParam(sku: string): string {
  return parseOrThrow(Sku, sku, 'sku');
}
