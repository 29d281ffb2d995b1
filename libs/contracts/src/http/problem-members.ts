/**
 * The members of every problem body (RFC 9457's `type`, `title`, `status`, `detail`, `instance`, and Tandem's
 * `code` and `errors`). They belong to the HTTP answer: an error's own values travel beside them as extension
 * members under names of their own (an order's state is `orderStatus`, never `status`).
 */
export const RESERVED_PROBLEM_MEMBERS = [
  'type',
  'title',
  'status',
  'detail',
  'instance',
  'code',
  'errors',
] as const;
export type ReservedProblemMember = (typeof RESERVED_PROBLEM_MEMBERS)[number];

/**
 * Extension members of a problem body: any name but a reserved one. `{ status: 'placed' }` does not compile, so a
 * new error cannot carry a value that would overwrite the HTTP status or the code.
 */
export type ProblemExtensions = Readonly<Record<string, unknown>> & {
  readonly [K in ReservedProblemMember]?: never;
};

export function isReservedProblemMember(name: string): name is ReservedProblemMember {
  return (RESERVED_PROBLEM_MEMBERS as readonly string[]).includes(name);
}
