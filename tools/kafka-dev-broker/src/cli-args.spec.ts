import { parseCliArgs } from './cli-args';

describe('parseCliArgs', () => {
  it('defaults to port 9092 on 127.0.0.1, in memory', () => {
    expect(parseCliArgs([])).toEqual({ ok: true, options: { port: 9092, host: '127.0.0.1' } });
  });

  it('reads every option, in both --flag value and --flag=value forms', () => {
    expect(
      parseCliArgs([
        '--port',
        '0',
        '--data-dir=/tmp/k',
        '--partitions',
        '6',
        '--max-partition-bytes=1048576',
      ]),
    ).toEqual({
      ok: true,
      options: { port: 0, host: '127.0.0.1', dataDir: '/tmp/k', partitions: 6, maxPartitionBytes: 1048576 },
    });
  });

  it.each([
    [['--port', 'abc'], "--port needs a whole number, got 'abc'"],
    [['--port', '70000'], '--port must be between 0 and 65535, got 70000'],
    [['--partitions', '0'], '--partitions must be between 1 and 10000, got 0'],
    [['--data-dir'], '--data-dir needs a value'],
    [['--port', '--partitions', '2'], '--port needs a value'],
    [['--verbose', 'yes'], "unknown option '--verbose'"],
    [['9092'], "unexpected argument '9092'"],
  ])('explains what is wrong with %j', (argv, error) => {
    expect(parseCliArgs(argv)).toEqual({ ok: false, error });
  });

  it('recognises --help', () => {
    expect(parseCliArgs(['--help'])).toEqual({ ok: false, help: true });
  });
});
