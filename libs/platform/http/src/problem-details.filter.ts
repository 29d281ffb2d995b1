import { ArgumentsHost, Catch, HttpException, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import {
  PROBLEM_CONTENT_TYPE,
  ProblemException,
  isCodedError,
  problem,
  problemFromCodedError,
  type ProblemDetails,
} from './problem';

/** The one place where errors become HTTP answers: every error leaves as `application/problem+json`. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const body = { ...this.toProblem(error), instance: request.originalUrl };
    if (body.status >= 500) {
      this.logger.error({ err: error, path: request.originalUrl }, 'request failed');
    }
    if (response.headersSent) return;
    response.status(body.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(body));
  }

  private toProblem(error: unknown): ProblemDetails {
    if (error instanceof ProblemException) return error.problem;
    if (isCodedError(error)) return problemFromCodedError(error);
    if (error instanceof HttpException) {
      const status = error.getStatus();
      if (status === 404) return problem(404, 'route.not-found', 'No such route', error.message);
      if (status === 405)
        return problem(405, 'route.method-not-allowed', 'Method not allowed', error.message);
      return problem(status, `http.${status}`, error.name, error.message);
    }
    return problem(500, 'internal', 'Internal server error', 'The server failed to handle the request.');
  }
}
