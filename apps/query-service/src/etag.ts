import type { Request, Response } from 'express';

/**
 * ETag from the read model's version. Returns true when the client's `If-None-Match` already names it: the caller
 * then answers 304 with no body.
 */
export function notModified(kind: string, version: number, request: Request, response: Response): boolean {
  const etag = `"${kind}-v${version}"`;
  response.setHeader('ETag', etag);
  const given = request.header('if-none-match');
  if (!given) return false;
  const tags = given.split(',').map((t) => t.trim().replace(/^W\//, ''));
  if (!tags.includes(etag) && !tags.includes('*')) return false;
  response.status(304);
  return true;
}
