import type { INestApplication } from '@nestjs/common';
import { z } from 'zod';

/** `CORS_ALLOWED_ORIGINS`: a comma list of exact origins (`https://shop.example.com`), none by default. */
export function originList() {
  return z
    .string()
    .optional()
    .transform((value) =>
      (value ?? '')
        .split(',')
        .map((origin) => origin.trim())
        .filter((origin) => origin.length > 0),
    )
    .superRefine((origins, ctx) => {
      for (const origin of origins) {
        let parsed: URL | undefined;
        try {
          parsed = new URL(origin);
        } catch {
          parsed = undefined;
        }
        if (
          !parsed ||
          (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') ||
          parsed.origin !== origin
        ) {
          ctx.addIssue({
            code: 'custom',
            message: `"${origin}" is not an origin (scheme://host[:port], no path, no trailing slash)`,
          });
        }
      }
    });
}

/** What a browser may send cross-origin, and read back: the API's own headers, as docs/api.md lists them. */
const ALLOWED_REQUEST_HEADERS = [
  'Authorization',
  'Content-Type',
  'Idempotency-Key',
  'If-Match',
  'If-None-Match',
  'Prefer',
  'X-Consistency-Token',
  'X-Correlation-Id',
  'X-Requested-With',
  'traceparent',
  'tracestate',
];
const EXPOSED_RESPONSE_HEADERS = [
  'ETag',
  'Location',
  'Preference-Applied',
  'RateLimit',
  'RateLimit-Policy',
  'Retry-After',
  'WWW-Authenticate',
  'X-Consistency',
  'X-Correlation-Id',
  'X-Data-As-Of',
  'traceresponse',
];

/**
 * CORS for the allow-listed origins only: a preflight from one is answered 204 with what it may send; any other
 * origin gets no CORS header at all, so its browser refuses to let its page read the answer (and to send a
 * non-simple request). No credentials: the API takes bearer tokens, never cookies.
 */
export function useCors(app: INestApplication, allowedOrigins: readonly string[]): void {
  app.enableCors({
    // Compared exactly; an empty list allows none.
    origin: [...allowedOrigins],
    methods: ['GET', 'POST', 'PUT', 'DELETE'],
    allowedHeaders: ALLOWED_REQUEST_HEADERS,
    exposedHeaders: EXPOSED_RESPONSE_HEADERS,
    credentials: false,
    maxAge: 600,
    optionsSuccessStatus: 204,
  });
}
