import { isTransientError } from './transient-error';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('isTransientError: what a retry may fix', () => {
  test.each([
    withCode('terminating connection due to administrator command', '57P01'),
    withCode('deadlock detected', '40P01'),
    withCode('could not serialize access', '40001'),
    withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'),
    withCode('sorry, too many clients already', '53300'),
    new Error('Connection terminated unexpectedly'),
    new Error('database "read" is not currently accepting connections'),
  ])('%s is transient', (error) => expect(isTransientError(error)).toBe(true));

  test.each([
    withCode('duplicate key value violates unique constraint', '23505'),
    withCode('invalid input syntax for type uuid', '22P02'),
    new Error('no order summary to apply it to'),
    'not an error',
  ])('%s is not', (error) => expect(isTransientError(error)).toBe(false));
});
