import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Request } from 'express';
import { principalOf } from '@tandem/platform/auth';
import {
  isCodedError,
  problemFromCodedError,
  ProblemException,
  type ProblemDetails,
} from '@tandem/platform/http';
import type { CommandRecords } from '@tandem/write/persistence';
import { commandOptions } from '../http/command-request';

export const COMMAND_RECORDS = Symbol('CommandRecords');

/**
 * Keeps the problem a command with an `Idempotency-Key` was refused with, so that its sender can ask what became
 * of it (`GET /api/commands/{key}`) after losing the answer. Every 4xx a command route answers counts (its body's
 * and path's checks, `If-Match`, the domain's rules), except `idempotency.key-reused`: that answer is about
 * another request under the key, whose own status stands. A 5xx is no verdict (the command was not judged), and a
 * request refused before the route (no token, wrong role) has no sender to ask.
 */
@Injectable()
export class RejectionRecorder {
  private readonly logger = new Logger(RejectionRecorder.name);

  constructor(@Inject(COMMAND_RECORDS) private readonly records: CommandRecords) {}

  async record(request: Request, error: unknown): Promise<void> {
    const problem = problemOf(error);
    if (problem === null || problem.status >= 500 || problem.code === 'idempotency.key-reused') return;
    let idempotency;
    try {
      idempotency = commandOptions(request).idempotency;
    } catch {
      return; // a malformed key: nothing to keep it under
    }
    if (!idempotency) return;
    try {
      await this.records.recordRejection({
        key: idempotency.key,
        fingerprint: idempotency.fingerprint,
        issuedBy: principalOf(request)?.subject ?? null,
        problem: { ...problem, instance: request.originalUrl },
      });
    } catch (failure) {
      // The client still gets its problem; only the status endpoint will not know of this refusal.
      this.logger.warn(`could not record the rejection of command ${idempotency.key}: ${String(failure)}`);
    }
  }
}

function problemOf(error: unknown): ProblemDetails | null {
  if (error instanceof ProblemException) return error.problem;
  if (isCodedError(error)) return problemFromCodedError(error);
  return null;
}
