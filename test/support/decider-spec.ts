/**
 * Emmett-style decider specifications: `given(events).when(command).then(events)` or
 * `.thenThrows(ErrorClass, matcher)`. The deciders are synchronous, so nothing here needs
 * awaiting and a failed expectation fails the test where it is written.
 */
type Decide<S, C, E> = (command: C, state: S, now: Date) => readonly E[];
type Evolve<S, E> = (state: S, event: E) => S;
type ErrorClass<T extends Error> = abstract new (...args: never[]) => T;

/** An exact code or message, a message pattern, or fields the error must have (toMatchObject). */
export type ErrorMatcher = string | RegExp | Record<string, unknown>;

export function deciderSpec<S, C, E>(
  decide: Decide<S, C, E>,
  evolve: Evolve<S, E>,
  initial: S,
  defaultNow: Date,
) {
  return {
    given: (events: readonly E[]) => ({
      when: (command: C, now: Date = defaultNow) => {
        const run = () => decide(command, events.reduce(evolve, initial), now);
        return {
          then(expected: readonly E[]): void {
            expect(run()).toStrictEqual(expected);
          },
          /** Returns the error, for the rare spec that needs to look further into it. */
          thenThrows<T extends Error>(errorClass: ErrorClass<T>, matcher?: ErrorMatcher): T {
            let decided: readonly E[];
            try {
              decided = run();
            } catch (error) {
              expect(error).toBeInstanceOf(errorClass);
              const thrown = error as T & { code?: unknown };
              if (typeof matcher === 'string')
                expect([thrown.code, thrown.message]).toContain(matcher);
              else if (matcher instanceof RegExp) expect(thrown.message).toMatch(matcher);
              else if (matcher !== undefined) expect(thrown).toMatchObject(matcher);
              return thrown;
            }
            throw new Error(
              `Expected ${errorClass.name}, but decide returned ${JSON.stringify(decided)}`,
            );
          },
        };
      },
    }),
  };
}

/** A ValidationFailed whose details name exactly these fields, in this order. */
export const invalidFields = (...fields: string[]): ErrorMatcher => ({
  code: 'VALIDATION_FAILED',
  details: fields.map((field): unknown => expect.objectContaining({ field })),
});
