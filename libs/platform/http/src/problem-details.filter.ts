import { ArgumentsHost, Catch, HttpException, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import {
  PROBLEM_CONTENT_TYPE,
  ProblemException,
  isCodedError,
  problemFromCodedError,
  type ProblemDetails,
} from './problem';
import { problemOf } from './problem-codes';

/** The one place where errors become HTTP answers: every error leaves as `application/problem+json`. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const body = { ...this.toProblem(error, request.method), instance: request.originalUrl };
    if (body.status >= 500) {
      this.logger.error({ err: error, path: request.originalUrl }, 'request failed');
    }
    if (response.headersSent) return;
    if (error instanceof ProblemException) {
      for (const [name, value] of Object.entries(error.headers)) response.setHeader(name, value);
    }
    response.status(body.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(body));
  }

  private toProblem(error: unknown, method: string): ProblemDetails {
    if (error instanceof ProblemException) return error.problem;
    if (isCodedError(error)) return problemFromCodedError(error);
    if (error instanceof HttpException || hasClientErrorStatus(error)) {
      const status = error instanceof HttpException ? error.getStatus() : error.status;
      // The path is in `instance`, which a gateway rewrites to the public one: the detail must not repeat it.
      if (status === 404) return problemOf('route.not-found', `No ${method} route at this path.`);
      // What Express refuses before routing (a path that is not valid percent-encoded UTF-8) is the request's fault.
      if (status < 500) return problemOf('request.malformed-http', 'The request line could not be read.');
    }
    return problemOf('internal', 'The server failed to handle the request.');
  }
}

function hasClientErrorStatus(error: unknown): error is { status: number } {
  if (typeof error !== 'object' || error === null) return false;
  const status: unknown = Reflect.get(error, 'status');
  return typeof status === 'number' && status >= 400 && status < 500;
}
