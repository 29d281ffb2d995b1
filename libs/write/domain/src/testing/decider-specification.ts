import { EVENT_CATALOG, type TandemEvent } from '@tandem/contracts';
import { DomainError, type DomainErrorClass } from '../errors/domain-error';
import type { DomainErrorCode } from '../errors/domain-error-codes';

// given(events).when(command).then(events) | .thenThrows(rule), in the spirit of emmett's DeciderSpecification.
// Test-only: imported relatively by the specs and never exported from the library.

export interface Decider<Command, Event extends TandemEvent, State> {
  decide(command: Command, state: State): Event[];
  evolve(state: State, event: Event): State;
  initialState: State;
}

export interface Then<Event> {
  /** The command succeeds with exactly these events, in this order. */
  then(expected: Event[]): void;
  /** The command is refused with this rule's error (a class or its code), and these details if given. */
  thenThrows(expected: DomainErrorClass | DomainErrorCode, details?: Record<string, unknown>): void;
}

export function deciderSpecification<Command, Event extends TandemEvent, State>(
  decider: Decider<Command, Event, State>,
) {
  return {
    given(events: Event[]) {
      events.forEach(assertMatchesContract);
      return {
        when(command: Command): Then<Event> {
          const run = () => decider.decide(command, events.reduce(decider.evolve, decider.initialState));
          return {
            then(expected) {
              const actual = run();
              expect(actual).toStrictEqual(expected);
              // An event that breaks its schema would be stuck in the outbox forever: prove the domain cannot emit one.
              actual.forEach(assertMatchesContract);
            },
            thenThrows(expected, details) {
              let thrown: unknown;
              let returned: Event[] | undefined;
              try {
                returned = run();
              } catch (error) {
                thrown = error;
              }
              if (returned !== undefined) {
                throw new Error(`expected a DomainError, but decide returned ${JSON.stringify(returned)}`);
              }
              expect(thrown).toBeInstanceOf(DomainError);
              const code = typeof expected === 'string' ? expected : expected.code;
              if (typeof expected !== 'string') expect(thrown).toBeInstanceOf(expected);
              expect((thrown as DomainError).code).toBe(code);
              if (details !== undefined) expect((thrown as DomainError).details).toStrictEqual(details);
            },
          };
        },
      };
    },
  };
}

function assertMatchesContract(event: TandemEvent): void {
  const result = EVENT_CATALOG[event.type].schema.safeParse(event.data);
  if (!result.success) {
    throw new Error(`${event.type} breaks its contract: ${JSON.stringify(result.error.issues)}`);
  }
}
