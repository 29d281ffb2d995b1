import type { INestApplication } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { PROBLEM_CONTENT_TYPE } from '@tandem/platform/http';
import { addRateLimitHeaders, rateLimitExceeded } from './rate-limit-headers';
import type { RateLimits } from './rate-limits';
import { routeClassOf } from './route-class';

/**
 * The per-IP limit, before anything else reads the request: a flood of requests with bad tokens, or none, is
 * refused before its token is verified or its body parsed. The client's address is the socket's peer, or the
 * `X-Forwarded-For` entry `TRUST_PROXY_HOPS` proxies in (Express' `trust proxy`).
 */
export function useIpRateLimit(app: INestApplication, limits: RateLimits): void {
  const express = app.getHttpAdapter().getInstance() as { set(setting: string, value: unknown): void };
  express.set('trust proxy', limits.config.TRUST_PROXY_HOPS);
  app.use((request: Request, response: Response, next: NextFunction) => {
    const routeClass = routeClassOf(request.method, request.path);
    if (routeClass === null) return next();
    limits.consume('ip', routeClass, request.ip ?? 'unknown').then(
      (decision) => {
        if (decision === null) return next();
        addRateLimitHeaders(response, decision);
        if (decision.allowed) return next();
        const refusal = rateLimitExceeded(decision);
        for (const [name, value] of Object.entries(refusal.headers)) response.setHeader(name, value);
        response
          .status(refusal.problem.status)
          .type(PROBLEM_CONTENT_TYPE)
          .send(JSON.stringify({ ...refusal.problem, instance: request.originalUrl }));
      },
      (error: unknown) => next(error),
    );
  });
}
