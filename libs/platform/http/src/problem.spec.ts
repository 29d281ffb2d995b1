import { RESERVED_PROBLEM_MEMBERS, type ProblemExtensions } from '@tandem/contracts';
import { problem, problemFromCodedError, validationProblem, type CodedError } from './problem';

function codedError(details: ProblemExtensions): CodedError {
  return Object.assign(new Error('Order 1 is placed.'), {
    code: 'order.not-draft',
    kind: 'conflict' as const,
    details,
  });
}

describe('problem bodies', () => {
  it('does not compile an extension named like a member', () => {
    // @ts-expect-error `status` is the HTTP status: an error's own status must go under a name of its own.
    const extensions: ProblemExtensions = { orderId: '1', status: 'placed' };
    expect(extensions).toBeDefined();
  });

  it.each(RESERVED_PROBLEM_MEMBERS)(
    'keeps its own %s when an extension smuggled in under that name (by a cast)',
    (member) => {
      const smuggled = { orderId: '1', [member]: 'placed' } as unknown as ProblemExtensions;
      const body = problemFromCodedError(codedError(smuggled));
      expect(body.status).toBe(409);
      expect(body.code).toBe('order.not-draft');
      expect(body.type).toBe('urn:tandem:problem:order.not-draft');
      expect(body.title).toBe('Order not draft');
      expect(body.detail).toBe('Order 1 is placed.');
      expect(body).not.toHaveProperty('instance');
      expect(body).not.toHaveProperty('errors');
      expect(body['orderId']).toBe('1');
    },
  );

  it('carries an error’s details as extension members beside the members', () => {
    expect(problemFromCodedError(codedError({ orderId: '1', orderStatus: 'placed' }))).toStrictEqual({
      type: 'urn:tandem:problem:order.not-draft',
      title: 'Order not draft',
      status: 409,
      detail: 'Order 1 is placed.',
      code: 'order.not-draft',
      orderId: '1',
      orderStatus: 'placed',
    });
  });

  it('gives a validation problem its errors', () => {
    expect(validationProblem([{ field: 'name', message: 'must not be empty' }]).problem).toStrictEqual({
      type: 'urn:tandem:problem:request.invalid',
      title: 'The request is invalid',
      status: 400,
      detail: 'name: must not be empty',
      code: 'request.invalid',
      errors: [{ field: 'name', message: 'must not be empty' }],
    });
  });

  it('drops a reserved name passed to problem() directly', () => {
    const body = problem(404, 'route.not-found', 'No such route', undefined, {
      code: 'other',
    } as unknown as ProblemExtensions);
    expect(body.code).toBe('route.not-found');
  });
});
