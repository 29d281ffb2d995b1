import type { INestApplication } from '@nestjs/common';
import helmet from 'helmet';

/**
 * The Content-Security-Policy of every answer. The API answers JSON, which no policy affects; the one HTML page is
 * Swagger UI at /api/docs, whose scripts, styles and initializer are files the gateway serves itself
 * (swagger-ui-dist, and `swagger-ui-init.js` written by @nestjs/swagger), so `'self'` is enough for them: no
 * inline script, no CDN. Swagger UI draws some icons as `data:` images and sets a few inline styles.
 */
export const CONTENT_SECURITY_POLICY = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
} as const;

/**
 * Security headers on every answer (helmet): the CSP above, `Strict-Transport-Security` (the ingress terminates
 * TLS; browsers ignore it over plain HTTP), `X-Content-Type-Options: nosniff`, `Referrer-Policy: no-referrer`,
 * `Cross-Origin-Resource-Policy: same-origin`… `Cross-Origin-Resource-Policy` stays `same-origin`: a page of an
 * allow-listed origin reads the API through CORS, which that header does not restrict.
 */
export function useSecurityHeaders(app: INestApplication): void {
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: Object.fromEntries(
          Object.entries(CONTENT_SECURITY_POLICY).map(([name, values]) => [name, [...values]]),
        ),
      },
    }),
  );
}
