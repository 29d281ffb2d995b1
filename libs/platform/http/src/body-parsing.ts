import type { INestApplication } from '@nestjs/common';
import express, { type NextFunction, type Request, type Response } from 'express';
import { PROBLEM_CONTENT_TYPE, problem } from './problem';

export const MAX_BODY_BYTES = 1024 * 1024;

interface BodyParserError extends Error {
  type?: string;
  status?: number;
  limit?: number;
}

/**
 * JSON bodies up to 1 MB. Parser failures are answered here, as problems, because they happen before Nest's
 * filters are reached: malformed JSON is a 400, an oversized body a 413, a non-JSON body on a JSON route a 415.
 */
export function useJsonBodies(app: INestApplication): void {
  app.use(
    express.json({ limit: MAX_BODY_BYTES, strict: false, type: ['application/json', 'application/*+json'] }),
  );
  app.use((error: BodyParserError, request: Request, response: Response, next: NextFunction) => {
    if (!error) return next();
    const send = (status: number, code: string, title: string, detail: string) =>
      response
        .status(status)
        .type(PROBLEM_CONTENT_TYPE)
        .send(JSON.stringify({ ...problem(status, code, title, detail), instance: request.originalUrl }));
    if (error.type === 'entity.parse.failed') {
      return send(
        400,
        'request.malformed-json',
        'Malformed JSON',
        `The body is not valid JSON: ${error.message}`,
      );
    }
    if (error.type === 'entity.too.large') {
      return send(
        413,
        'request.too-large',
        'Request body too large',
        `The body is larger than the limit of ${MAX_BODY_BYTES} bytes.`,
      );
    }
    if (error.type === 'encoding.unsupported' || error.type === 'charset.unsupported') {
      return send(415, 'request.unsupported-encoding', 'Unsupported body encoding', error.message);
    }
    return next(error);
  });
  // A command route with a body that is not JSON at all: say so rather than validating an empty object.
  app.use((request: Request, response: Response, next: NextFunction) => {
    const hasBody =
      Number(request.headers['content-length'] ?? 0) > 0 || request.headers['transfer-encoding'];
    if (hasBody && !request.is(['application/json', 'application/*+json']) && request.method !== 'GET') {
      response
        .status(415)
        .type(PROBLEM_CONTENT_TYPE)
        .send(
          JSON.stringify({
            ...problem(
              415,
              'request.unsupported-media-type',
              'Unsupported media type',
              'Send the body as application/json.',
            ),
            instance: request.originalUrl,
          }),
        );
      return;
    }
    next();
  });
}
