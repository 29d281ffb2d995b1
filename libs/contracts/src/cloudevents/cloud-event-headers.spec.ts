import {
  fromKafkaHeaders,
  InvalidEnvelopeError,
  toKafkaHeaders,
  type EventEnvelope,
} from './cloud-event-headers';

const envelope: EventEnvelope = {
  id: '6f1c0d9e-1f2a-4b3c-8d4e-5f6a7b8c9d0e',
  type: 'tandem.orders.OrderCreated.v1',
  source: '/tandem/command-service',
  subject: '0b7c6f4e-2a4f-4b8e-9d64-3f1c2a5e7d10',
  time: '2026-11-29T10:00:00.000Z',
  streamVersion: 3,
  correlationId: 'corr-1',
  causationId: 'cmd-1',
};
const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('CloudEvents Kafka headers (binary mode)', () => {
  it('write every attribute as a ce_ header and read back the same envelope', () => {
    const headers = toKafkaHeaders(envelope);
    expect(headers).toEqual({
      ce_specversion: '1.0',
      ce_id: envelope.id,
      ce_type: envelope.type,
      ce_source: envelope.source,
      ce_subject: envelope.subject,
      ce_time: envelope.time,
      ce_streamversion: '3',
      ce_correlationid: 'corr-1',
      ce_causationid: 'cmd-1',
      'content-type': 'application/json',
    });
    const asKafkaDeliversThem = Object.fromEntries(
      Object.entries(headers).map(([k, v]) => [k, Buffer.from(v)]),
    );
    expect(fromKafkaHeaders(asKafkaDeliversThem)).toEqual(envelope);
  });

  it('carry the W3C traceparent as ce_traceparent (distributed tracing extension)', () => {
    const headers = toKafkaHeaders({ ...envelope, traceparent: TRACEPARENT });
    expect(headers['ce_traceparent']).toBe(TRACEPARENT);
    expect(fromKafkaHeaders(headers)).toEqual({ ...envelope, traceparent: TRACEPARENT });
  });

  it.each(['garbage', `00-${'0'.repeat(32)}-00f067aa0ba902b7-01`, TRACEPARENT.toUpperCase()])(
    'drop a malformed traceparent (%s) without refusing the event',
    (traceparent) => {
      expect(fromKafkaHeaders({ ...toKafkaHeaders(envelope), ce_traceparent: traceparent })).toEqual(
        envelope,
      );
    },
  );

  it.each([
    ['a missing id', { ce_id: undefined }, /missing header ce_id/],
    ['another spec version', { ce_specversion: '0.3' }, /unsupported ce_specversion/],
    ['a stream version of 0', { ce_streamversion: '0' }, /positive integer/],
    ['a time that is not one', { ce_time: 'yesterday' }, /not a timestamp/],
  ])('refuse %s', (_case, change, message) => {
    expect(() => fromKafkaHeaders({ ...toKafkaHeaders(envelope), ...change })).toThrow(InvalidEnvelopeError);
    expect(() => fromKafkaHeaders({ ...toKafkaHeaders(envelope), ...change })).toThrow(message);
  });

  /** What fromKafkaHeaders answers, or the message it refuses with. */
  const outcome = (headers: Parameters<typeof fromKafkaHeaders>[0]): unknown => {
    try {
      return fromKafkaHeaders(headers);
    } catch (error) {
      return (error as Error).message;
    }
  };

  it.each([
    ['ce_specversion', ['1.0', '1.00', '0.3', '1.0 ', '', '١.٠']],
    ['ce_streamversion', ['1', '12', '007', '0', '-1', '1.5', '1e3', ' 5', '0x10', '', '٣']],
    ['ce_streamversion', ['123456789012345', '9007199254740991', '9007199254740992', '12345678901234567890']],
  ])('read %s the same from bytes as from text', (name, values) => {
    for (const value of values) {
      const text = { ...toKafkaHeaders(envelope), [name]: value };
      const bytes = Object.fromEntries(Object.entries(text).map(([k, v]) => [k, Buffer.from(v)]));
      expect([value, outcome(bytes)]).toEqual([value, outcome(text)]);
      expect([value, outcome({ ...text, [name]: [Buffer.from(value)] })]).toEqual([value, outcome(text)]);
    }
  });
});
