// Environment configuration: each service declares one zod schema keyed by variable name and parses it once at start.
export * from './load-config';
export * from './env-schemas';
export * from './development-secret';
