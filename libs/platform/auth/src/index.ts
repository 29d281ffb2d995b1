export * from './auth-config';
export * from './auth-problems';
export * from './access-token-verifier';
export * from './access.guard';
export * from './principal';
export * from './consistency-tokens';
