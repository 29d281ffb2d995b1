import type { INestApplication } from '@nestjs/common';
import express, { type NextFunction, type Request, type Response } from 'express';
import { PROBLEM_CONTENT_TYPE, validationProblem, type ProblemDetails } from './problem';
import { problemOf } from './problem-codes';
import { inspectJson, MAX_JSON_DEPTH } from './json-inspection';

export const MAX_BODY_BYTES = 1024 * 1024;

interface BodyParserError extends Error {
  type?: string;
  status?: number;
  code?: string;
}

const JSON_TYPES = ['application/json', 'application/*+json'];

/**
 * JSON bodies up to 1 MB, and the checks every body and query string gets before any route sees it. Parser
 * failures are answered here, as problems, because they happen before Nest's filters are reached: malformed JSON
 * is a 400, an oversized body a 413, a non-JSON body on a JSON route a 415, a compressed body that does not
 * decode a 400. Then a body nested deeper than MAX_JSON_DEPTH is a 400, and so is any string that PostgreSQL could
 * not store or any number JSON cannot carry, naming the field: a new field of a new route gets these checks too.
 */
export function useJsonBodies(app: INestApplication): void {
  app.use(refuseCorsSimplePosts);
  app.use(express.json({ limit: MAX_BODY_BYTES, strict: false, type: JSON_TYPES }));
  app.use((error: BodyParserError, request: Request, response: Response, next: NextFunction) => {
    if (!error) return next();
    const refusal = bodyParserRefusal(error);
    if (refusal === undefined) return next(error);
    sendProblem(request, response, refusal);
  });
  // A command route with a body that is not JSON at all: say so rather than validating an empty object.
  app.use((request: Request, response: Response, next: NextFunction) => {
    const hasBody =
      Number(request.headers['content-length'] ?? 0) > 0 || request.headers['transfer-encoding'];
    if (hasBody && !request.is(JSON_TYPES) && request.method !== 'GET') {
      sendProblem(
        request,
        response,
        problemOf('request.unsupported-media-type', 'Send the body as application/json.'),
      );
      return;
    }
    next();
  });
  app.use((request: Request, response: Response, next: NextFunction) => {
    const refusal = inputRefusal(request.query, 'query string') ?? inputRefusal(request.body, 'body');
    if (refusal === undefined) return next();
    sendProblem(request, response, refusal);
  });
}

/** A header a browser's cross-site form or `fetch` in no-cors mode cannot send without a CORS preflight. */
export const REQUESTED_WITH_HEADER = 'x-requested-with';

/**
 * A POST is a CORS "simple" request when its content type is a form's or text/plain (or absent): a browser sends
 * it cross-site without asking the server first, with the user's ambient credentials. Commands without a body
 * (place, ship, rebuild…) would be such requests, so every POST must say `Content-Type: application/json` (an
 * empty body is fine) or carry `X-Requested-With`, either of which makes a browser preflight it (and the CORS
 * allow-list refuse it). PUT and DELETE are never simple: a browser always preflights them.
 */
function refuseCorsSimplePosts(request: Request, response: Response, next: NextFunction): void {
  if (request.method !== 'POST' || isJsonMediaType(request.headers['content-type'])) return next();
  if (request.headers[REQUESTED_WITH_HEADER] !== undefined) return next();
  sendProblem(
    request,
    response,
    problemOf(
      'request.unsupported-media-type',
      'A POST must say Content-Type: application/json (an empty body is fine) or send an X-Requested-With header.',
    ),
  );
}

function isJsonMediaType(contentType: string | undefined): boolean {
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase() ?? '';
  return mediaType === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(mediaType);
}

function bodyParserRefusal(error: BodyParserError): ProblemDetails | undefined {
  switch (error.type) {
    case 'entity.parse.failed':
      return problemOf('request.malformed-json', `The body is not valid JSON: ${error.message}`);
    case 'entity.too.large':
      return problemOf('request.too-large', `The body is larger than the limit of ${MAX_BODY_BYTES} bytes.`);
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return problemOf('request.unsupported-encoding', error.message);
    case 'request.size.invalid':
    case 'request.aborted':
      return problemOf('request.malformed-http', 'The body did not match its Content-Length.');
  }
  // zlib's errors (Z_DATA_ERROR, Z_BUF_ERROR…): the Content-Encoding named a format the body is not in.
  if (error.code?.startsWith('Z_') || error.code === 'ERR_BROTLI_DECOMPRESSION_FAILED') {
    return problemOf(
      'request.malformed-encoding',
      'The body does not decode with the Content-Encoding it names (gzip, deflate or br).',
    );
  }
  // Any other refusal of the body parser is the request's fault, and says so in a catalogued code.
  if (error.status !== undefined && error.status >= 400 && error.status < 500) {
    return problemOf('request.malformed-http', `The body could not be read: ${error.message}`);
  }
  return undefined;
}

function inputRefusal(value: unknown, where: 'body' | 'query string'): ProblemDetails | undefined {
  if (value === undefined) return undefined;
  const found = inspectJson(value);
  if (found.ok) return undefined;
  if ('tooDeep' in found) {
    return problemOf('request.json-too-deep', `The ${where} nests deeper than ${MAX_JSON_DEPTH} levels.`);
  }
  return validationProblem(found.errors).problem;
}

function sendProblem(request: Request, response: Response, body: ProblemDetails): void {
  response
    .status(body.status)
    .type(PROBLEM_CONTENT_TYPE)
    .send(JSON.stringify({ ...body, instance: request.originalUrl }));
}
