import { STATUS_CODES, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { PROBLEM_CONTENT_TYPE } from './problem';
import { problemOf, type HttpProblemCode } from './problem-codes';

/**
 * Requests that Node's HTTP parser refuses never reach Express: headers over the limit, a request that is both
 * Content-Length and chunked (a smuggling attempt), bad chunking, a request not received in time. Node would
 * answer those with a bare status line; this answers them as problems with stable codes, under the same rule Node
 * follows: only on a connection where no answer has started, and the connection is closed after it.
 */
export function answerClientErrorsAsProblems(server: Server): void {
  server.on('clientError', (error: Error & { code?: string }, socket: Duplex) => {
    if (error.code !== 'ECONNRESET' && socket.writable && !answerInFlight(socket)) {
      socket.write(rawProblemResponse(codeOf(error.code), detailOf(error.code)));
    }
    socket.destroy(error);
  });
}

function codeOf(nodeCode: string | undefined): HttpProblemCode {
  switch (nodeCode) {
    case 'HPE_HEADER_OVERFLOW':
      return 'request.headers-too-large';
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return 'request.too-large';
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return 'request.timeout';
    default:
      return 'request.malformed-http';
  }
}

function detailOf(nodeCode: string | undefined): string {
  switch (nodeCode) {
    case 'HPE_HEADER_OVERFLOW':
      return 'The request line and headers are larger than the server accepts.';
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return 'The request was not received in full in time.';
    default:
      return `The request is not valid HTTP/1.1 (${nodeCode ?? 'unparseable'}).`;
  }
}

function rawProblemResponse(code: HttpProblemCode, detail: string): string {
  const body = JSON.stringify(problemOf(code, detail));
  const { status } = problemOf(code);
  return (
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n` +
    `Content-Type: ${PROBLEM_CONTENT_TYPE}\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\n` +
    'Connection: close\r\n\r\n' +
    body
  );
}

/** Whether an answer on this connection has started: writing another then would corrupt it. */
function answerInFlight(socket: Duplex): boolean {
  const inFlight: unknown = Reflect.get(socket, '_httpMessage');
  return typeof inFlight === 'object' && inFlight !== null && (inFlight as ServerResponse).headersSent;
}
