import { timingSafeEqual } from 'node:crypto';
import type { Role } from '@tandem/contracts';

/** A person the development provider knows. Their passwords are public: this provider is for development only. */
export interface DemoUser {
  /** The login name, and the token's `sub`. */
  readonly username: string;
  readonly password: string;
  readonly name: string;
  readonly email: string;
  readonly roles: readonly Role[];
}

export const DEMO_USERS = [
  {
    username: 'customer1',
    password: 'customer1-password',
    name: 'Customer One',
    email: 'customer1@example.com',
    roles: ['customer'],
  },
  {
    username: 'customer2',
    password: 'customer2-password',
    name: 'Customer Two',
    email: 'customer2@example.com',
    roles: ['customer'],
  },
  {
    username: 'staff1',
    password: 'staff1-password',
    name: 'Staff One',
    email: 'staff1@example.com',
    roles: ['staff'],
  },
  {
    username: 'admin1',
    password: 'admin1-password',
    name: 'Admin One',
    email: 'admin1@example.com',
    roles: ['admin'],
  },
] as const satisfies readonly DemoUser[];

export type DemoUsername = (typeof DEMO_USERS)[number]['username'];

export function demoUser(username: string): DemoUser | undefined {
  return DEMO_USERS.find((user) => user.username === username);
}

export function isDemoUsername(username: string): username is DemoUsername {
  return demoUser(username) !== undefined;
}

/** The demo user these credentials name, or `undefined` (the same for an unknown user and a wrong password). */
export function authenticate(username: string, password: string): DemoUser | undefined {
  const user = demoUser(username);
  const expected = Buffer.from(user?.password ?? 'no such user: compare anyway');
  const given = Buffer.from(password);
  const same = given.length === expected.length && timingSafeEqual(given, expected);
  return user !== undefined && same ? user : undefined;
}
